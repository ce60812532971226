from django.http import JsonResponse

from .models import Author, Book


def book_list(request):
    books = Book.objects.all()
    data = [{"title": b.title, "author": b.author.name} for b in books]  # expect: PA107
    return JsonResponse(data, safe=False)


def book_list_fast(request):
    books = Book.objects.select_related("author").prefetch_related("tags")
    data = []
    for b in books:
        data.append({"title": b.title, "author": b.author.name, "tags": [t.label for t in b.tags.all()]})  # ok: PA107
    return JsonResponse(data, safe=False)


def book_tags(request):
    out = []
    for b in Book.objects.all():
        out.append([t.label for t in b.tags.all()])  # expect: PA107
    return JsonResponse(out, safe=False)


def author_books(request):
    names = request.GET.getlist("author")
    out = {}
    for name in names:
        out[name] = Book.objects.filter(author__name=name).count()  # expect: PA107
    return JsonResponse(out)


def author_ids(request):
    return JsonResponse([b.author_id for b in Book.objects.all()], safe=False)  # ok: PA107 (FK column)
