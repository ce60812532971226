from functools import lru_cache

from sqlalchemy.orm import Session

from app.repositories.orders import OrderRepository, load_order


def order_total(session: Session, order_id: int) -> int:
    order = load_order(session, order_id)
    return order.total if order else 0


def invoice_totals(session: Session, order_ids: list[int]) -> int:
    repo = OrderRepository(session)
    total = 0
    for oid in order_ids:
        order = repo.get_by_id(oid)  # expect: PA107
        total += order.total
    return total


def invoice_totals_batched(session: Session, order_ids: list[int]) -> int:
    repo = OrderRepository(session)
    orders = repo.get_many(order_ids)  # ok: PA107 (one query before the loop)
    return sum(o.total for o in orders)


def totals_via_helper(session: Session, order_ids: list[int]) -> list[int]:
    return [order_total(session, oid) for oid in order_ids]  # expect: PA107


def status_names(session: Session) -> list[str]:
    out = []
    for status in ("open", "paid", "shipped"):
        out.append(status.upper())  # ok: PA107 (no query)
    for code in ("A", "B"):
        load_order(session, 1)  # ok: PA107 (loop over a literal)
    return out


@lru_cache(maxsize=128)
def cached_total(order_id: int) -> int:
    from app.db import SessionLocal

    with SessionLocal() as session:
        return order_total(session, order_id)


def cached_totals(order_ids: list[int]) -> list[int]:
    return [cached_total(oid) for oid in order_ids]  # ok: PA107 (memoized helper)
