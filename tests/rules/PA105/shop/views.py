from django.http import JsonResponse

from .models import Tag


def create_tags(request):
    for label in request.POST.getlist("labels"):
        Tag.objects.create(label=label)  # expect: PA105
    return JsonResponse({})


def create_tags_save(request):
    for label in request.POST.getlist("labels"):
        t = Tag(label=label)
        t.save()  # expect: PA105
    return JsonResponse({})


def create_tags_bulk(request):
    Tag.objects.bulk_create([Tag(label=l) for l in request.POST.getlist("labels")])  # ok: PA105
    return JsonResponse({})


def create_tags_ids(request):
    ids = []
    for label in request.POST.getlist("labels"):
        t = Tag.objects.create(label=label)  # ok: PA105 (t.pk is needed right away)
        ids.append(t.pk)
    return JsonResponse({"ids": ids})


def create_tags_inline(request):
    for label in request.POST.getlist("labels"):
        Tag(label=label).save()  # expect: PA105
    return JsonResponse({})
