from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.models import Order
from app.repositories.orders import OrderRepository


def cancel_orders(session: Session, order_ids: list[int]) -> None:
    repo = OrderRepository(session)
    for oid in order_ids:
        repo.set_status(oid, "cancelled")  # expect: PA102
    session.commit()


def cancel_orders_bulk(session: Session, order_ids: list[int]) -> None:
    repo = OrderRepository(session)
    repo.set_status_many(order_ids, "cancelled")  # ok: PA102 (one statement)
    session.commit()


def purge(session: Session, order_ids: list[int]) -> None:
    repo = OrderRepository(session)
    for oid in order_ids:
        repo.remove(oid)  # expect: PA102
        repo.find(oid)  # ok: PA102 (a read, not a write)


def archive_old(session: Session) -> None:
    for order in session.scalars(select(Order).where(Order.status == "done")):
        session.execute(update(Order).where(Order.id == order.id).values(status="archived"))  # expect: PA102


def archive_legacy(session: Session, ids: list[int]) -> None:
    for oid in ids:
        session.query(Order).filter(Order.id == oid).update({"status": "archived"})  # expect: PA102
        session.query(Order).filter(Order.id.in_(ids)).update({"status": "x"})  # ok: PA102 (IN predicate: set-based)


def delete_each(session: Session, orders: list[Order]) -> None:
    for order in orders:
        session.delete(order)  # expect: PA102


def bulk_by_pk(session: Session, rows: list[dict]) -> None:
    session.execute(update(Order), rows)  # ok: PA102 (bulk UPDATE by primary key)
    session.execute(delete(Order).where(Order.id.in_([r["id"] for r in rows])))  # ok: PA102


def reset_fixed(session: Session) -> None:
    for status in ("new", "open"):
        session.execute(update(Order).where(Order.status == status).values(status="pending"))  # expect: PA102
