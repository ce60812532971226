from sqlalchemy.orm import Session

from app.models import Order, OrderItem


def create_order(db: Session, status: str) -> Order:
    db_order = Order(status=status)
    db.add(db_order)
    db.commit()  # ok: PA203 (one unit, one commit)
    db.refresh(db_order)
    return db_order


def create_order_item(db: Session, order_id: int, sku: str) -> OrderItem:
    db_item = OrderItem(order_id=order_id, sku=sku)
    db.add(db_item)
    db.commit()  # ok: PA203
    db.refresh(db_item)
    return db_item


def rename_and_reload(db: Session, order_id: int, status: str) -> Order:
    order = db.get(Order, order_id)
    order.status = status
    db.commit()  # ok: PA203 (nothing else written afterwards)
    db.refresh(order)
    return db.get(Order, order_id)
