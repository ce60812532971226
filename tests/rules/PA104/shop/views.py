from django.http import JsonResponse

from .models import Article


def article_count(request):
    total = len(Article.objects.filter(published=True))  # expect: PA104
    exists = Article.objects.filter(published=True).count()  # ok: PA104
    return JsonResponse({"total": total, "n": exists})


def first_article(request):
    a = list(Article.objects.filter(published=True))[0]  # expect: PA104
    return JsonResponse({"title": a.title})


def titles(request):
    return JsonResponse([a.title for a in Article.objects.all()], safe=False)  # ok: PA104 (narrow model)


def newest_article(request):
    a = Article.objects.order_by("-id").all()[0]  # ok: PA104 (Django slices in SQL: LIMIT 1)
    return JsonResponse({"title": a.title})
