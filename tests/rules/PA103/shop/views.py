from django.http import JsonResponse

from .models import Store
from .services import store_label, store_name, store_timezone


def opening_hours(request, store_id):
    store = Store.objects.get(pk=store_id)
    return JsonResponse({"tz": store_timezone(store.pk), "label": store_label(store.id)})


def store_tz_by_id(request, store_id):
    shop = Store.objects.get(pk=store_id)
    return JsonResponse({"tz": store_timezone(store_id=shop.id)})


def store_header(request, store_id):
    store = Store.objects.get(pk=store_id)
    return JsonResponse({"name": store_name(store.pk)})
