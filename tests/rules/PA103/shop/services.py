from .models import Store


def store_timezone(store_id):
    store = Store.objects.get(pk=store_id)  # expect: PA103
    return store.timezone


def store_label(store_id):
    store = Store.objects.get(pk=store_id)  # ok: PA103 (reads two attributes)
    return f"{store.name} ({store.timezone})"


def store_name(store_id):
    return Store.objects.get(pk=store_id).name  # expect: PA103
