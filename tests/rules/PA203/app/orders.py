from sqlalchemy.orm import Session

from app import crud
from app.models import AuditLog, Order, OrderItem


def create_order(session: Session, skus: list) -> Order:
    order = Order(status="new")
    session.add(order)
    session.commit()  # expect: PA203
    for sku in skus:
        session.add(OrderItem(order_id=order.id, sku=sku))
    session.commit()
    return order


def create_order_flush(session: Session, skus: list) -> Order:
    order = Order(status="new")
    session.add(order)
    session.flush()
    for sku in skus:
        session.add(OrderItem(order_id=order.id, sku=sku))
    session.commit()  # ok: PA203 (one commit for the whole unit)
    return order


def create_order_named_child(session: Session, sku: str) -> Order:
    order = Order(status="new")
    session.add(order)
    session.commit()  # expect: PA203
    item = OrderItem(order=order, sku=sku)
    session.add(item)
    session.commit()
    return order


def cancel_order(session: Session, order_id: int) -> None:
    order = session.get(Order, order_id)
    order.status = "cancelled"
    session.commit()  # expect: PA203
    session.add(AuditLog(entity=f"order:{order_id}", action="cancel"))
    session.commit()


def cancel_order_once(session: Session, order_id: int) -> None:
    order = session.get(Order, order_id)
    order.status = "cancelled"
    session.add(AuditLog(entity=f"order:{order_id}", action="cancel"))
    session.commit()  # ok: PA203 (status and audit record in one commit)


def cancel_in_block(session: Session, order_id: int) -> None:
    with session.begin():
        order = session.get(Order, order_id)
        order.status = "cancelled"
        session.add(AuditLog(entity=f"order:{order_id}", action="cancel"))


def import_orders(session: Session, rows: list) -> None:
    for row in rows:
        order = Order(status=row["status"])
        session.add(order)
        session.commit()  # ok: PA203 (one order per commit: milestones)


def touch_two(session: Session, a: int, b: int) -> None:
    first = session.get(Order, a)
    first.status = "seen"
    session.commit()  # ok: PA203 (two unrelated updates)
    second = session.get(Order, b)
    second.status = "seen"
    session.commit()


def attach_item(session: Session, item_id: int) -> Order:
    order = Order(status="new")
    session.add(order)
    session.commit()  # expect: PA203
    item = session.get(OrderItem, item_id)
    item.order_id = order.id
    session.commit()
    return order


def create_order_then_items(session: Session, skus: list) -> None:
    order = crud.create_order(session, "new")  # expect: PA203
    for sku in skus:
        crud.create_order_item(session, order.id, sku)


def create_order_then_log(session: Session) -> None:
    order = crud.create_order(session, "new")  # ok: PA203 (the second call is not keyed by the order)
    crud.rename_and_reload(session, 1, "seen")
