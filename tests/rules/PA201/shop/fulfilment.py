from django.db import transaction

from shop.models import Order


def pack(item):
    return item


@transaction.atomic
def fulfil(order_id: int, items: list) -> None:
    order = Order.objects.select_for_update().get(pk=order_id)
    for n, item in enumerate(items):
        pack(item)
        order.progress = n
        order.save(update_fields=["progress"])  # expect: PA201
    order.status = "shipped"
    order.save()


def fulfil_autocommit(order_id: int, items: list) -> None:
    order = Order.objects.get(pk=order_id)
    for n, item in enumerate(items):
        pack(item)
        order.progress = n
        order.save(update_fields=["progress"])  # ok: PA201 (autocommit: each save commits)


def fulfil_block(order_id: int, items: list) -> None:
    with transaction.atomic():
        for n, item in enumerate(items):
            pack(item)
            Order.objects.filter(pk=order_id).update(progress=n)  # expect: PA201
