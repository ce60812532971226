import requests
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.models import Customer, Order

REGIONS = ["eu", "us", "apac"]


def nightly_totals(session: Session) -> dict:
    totals = {}
    for customer in session.scalars(select(Customer)):
        for order in customer.orders:  # expect: PA107
            totals[order.id] = order.total
    return totals


def walk_chain(session: Session, start_id: int) -> list[int]:
    seen = []
    node = session.get(Order, start_id)
    while node is not None:
        seen.append(node.id)
        node = session.get(Order, node.customer_id)  # expect: PA107
    return seen


def per_region(session: Session) -> dict:
    out = {}
    for region in REGIONS:
        out[region] = session.scalars(select(Order).where(Order.status == region)).all()  # ok: PA107 (loop over a constant)
    return out


def push_webhooks(urls: list[str]) -> None:
    session = requests.Session()
    for url in urls:
        session.get(url)  # ok: PA107 (HTTP session, not a database session)


def with_retry(session: Session, order_id: int, attempts: int):
    for attempt in range(attempts):
        try:
            return session.get(Order, order_id)  # ok: PA107 (retry loop)
        except OperationalError:
            continue
    return None


def totals_from_loaded(orders: list[Order]) -> int:
    return sum(o.total for o in orders)  # ok: PA107 (already-loaded list, columns only)
