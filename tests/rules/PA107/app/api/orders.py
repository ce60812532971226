from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.db import get_session
from app.models import Customer, Order
from app.repositories.orders import OrderRepository

router = APIRouter()


@router.get("/orders")
def list_orders(session: Session = Depends(get_session)):
    orders = session.scalars(select(Order)).all()
    rows = []
    for order in orders:
        rows.append({"id": order.id, "customer": order.customer.name})  # expect: PA107
    return rows


@router.get("/orders/eager")
def list_orders_eager(session: Session = Depends(get_session)):
    orders = session.scalars(select(Order).options(joinedload(Order.customer))).all()
    return [{"id": o.id, "customer": o.customer.name} for o in orders]  # ok: PA107 (joinedload)


@router.get("/orders/fk")
def list_order_fks(session: Session = Depends(get_session)):
    orders = session.scalars(select(Order)).all()
    return [{"id": o.id, "customer_id": o.customer_id, "total": o.total} for o in orders]  # ok: PA107 (columns only)


@router.get("/orders/tags")
def list_order_tags(session: Session = Depends(get_session)):
    out = []
    for o in session.scalars(select(Order)).all():  # ok: PA107 (query in the iterable runs once)
        out.append([t.label for t in o.tags])  # ok: PA107 (lazy="selectin" on the model)
    return out


@router.get("/orders/repo")
def list_orders_repo(session: Session = Depends(get_session)):
    repo = OrderRepository(session)
    return [(o.customer.name, len(o.items)) for o in repo.list_with_customers()]  # ok: PA107 (repository eager-loads)


@router.get("/orders/open")
def list_open_orders(session: Session = Depends(get_session)):
    repo = OrderRepository(session)
    return [o.customer.email for o in repo.list_open()]  # expect: PA107


@router.get("/customers/by-ids")
def customers_by_ids(ids: list[int], session: Session = Depends(get_session)):
    result = []
    for cid in ids:
        customer = session.get(Customer, cid)  # expect: PA107
        result.append(customer.name)
    return result


@router.get("/customers/legacy")
def customers_legacy(ids: list[int], session: Session = Depends(get_session)):
    names = []
    for cid in ids:
        c = session.query(Customer).filter(Customer.id == cid).first()  # expect: PA107
        names.append(c.name)
    return names


@router.get("/customers/batched")
def customers_batched(ids: list[int], session: Session = Depends(get_session)):
    customers = session.scalars(select(Customer).where(Customer.id.in_(ids))).all()  # ok: PA107
    by_id = {c.id: c for c in customers}
    return [by_id[i].name for i in ids if i in by_id]


@router.get("/orders/items")
def order_items(session: Session = Depends(get_session)):
    orders = session.scalars(select(Order).options(selectinload(Order.items))).all()
    skus = []
    for o in orders:
        for item in o.items:  # ok: PA107 (selectinload)
            skus.append(item.sku)
    return skus


@router.get("/customers/chunked")
def customers_chunked(ids: list[int], session: Session = Depends(get_session)):
    out = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        out.extend(session.scalars(select(Customer).where(Customer.id.in_(chunk))).all())  # ok: PA107 (batched IN query)
    return [c.name for c in out]
