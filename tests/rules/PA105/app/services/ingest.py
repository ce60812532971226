from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.models import Event, Order, OrderLine


def store_events(session: Session, payloads: list[dict]) -> None:
    for p in payloads:
        event = Event(kind=p["kind"], payload=p["data"])
        session.add(event)  # expect: PA105
    session.commit()


def store_events_inline(session: Session, payloads: list[dict]) -> None:
    for p in payloads:
        session.add(Event(kind=p["kind"], payload=p["data"]))  # expect: PA105
    session.commit()


def store_events_bulk(session: Session, payloads: list[dict]) -> None:
    session.add_all([Event(kind=p["kind"], payload=p["data"]) for p in payloads])  # ok: PA105
    session.commit()


def store_events_core(session: Session, payloads: list[dict]) -> None:
    for p in payloads:
        session.execute(insert(Event).values(kind=p["kind"], payload=p["data"]))  # expect: PA105
    session.execute(insert(Event), payloads)  # ok: PA105 (executemany)


def create_orders(session: Session, refs: list[str]) -> list[int]:
    ids = []
    for ref in refs:
        order = Order(ref=ref)
        session.add(order)  # ok: PA105 (the generated id is needed in the same iteration)
        session.flush()
        ids.append(order.id)
    return ids


def create_orders_with_lines(session: Session, specs: list[dict]) -> None:
    for spec in specs:
        order = Order(ref=spec["ref"])
        session.add(order)  # ok: PA105 (order.id used below)
        session.add(OrderLine(order_id=order.id, sku=spec["sku"]))  # ok: PA105 (depends on the flushed id)


def touch_existing(session: Session, refs: list[str]) -> None:
    for order in session.scalars(select(Order).where(Order.ref.in_(refs))):
        order.ref = order.ref.upper()
        session.add(order)  # ok: PA105 (an existing row, not an insert)


def copy_orders(session: Session, ids: list[int]) -> None:
    for oid in ids:
        src = session.get(Order, oid)
        session.add(Order(ref=src.ref + "-copy"))  # ok: PA105 (the loop also reads: PA107's finding)


def seed_kinds(session: Session) -> None:
    for kind in ("a", "b"):
        session.add(Event(kind=kind, payload=""))  # ok: PA105 (two literal items)
