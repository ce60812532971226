from django.http import JsonResponse

from .models import Product


def reprice(request):
    for p in Product.objects.filter(active=True):
        p.price = p.price * 2
        p.save()  # expect: PA102
    return JsonResponse({})


def deactivate(request):
    for pid in request.POST.getlist("ids"):
        Product.objects.filter(pk=pid).update(active=False)  # expect: PA102
    Product.objects.filter(pk__in=request.POST.getlist("ids")).update(active=False)  # ok: PA102
    return JsonResponse({})


def remove(request):
    for p in Product.objects.filter(active=False):
        p.delete()  # expect: PA102
    return JsonResponse({})


def reprice_bulk(request):
    products = list(Product.objects.filter(active=True))
    for p in products:
        p.price = p.price * 2  # ok: PA102 (changed in memory)
    Product.objects.bulk_update(products, ["price"])  # ok: PA102
    return JsonResponse({})


def create_many(request):
    for name in request.POST.getlist("names"):
        p = Product(name=name, price=0)
        p.save()  # ok: PA102 (a new row: an INSERT, PA105's concern)
    return JsonResponse({})
