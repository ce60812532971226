import asyncio

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.models import Customer, Order


async def customer_names(session: AsyncSession, ids: list[int]) -> list[str]:
    names = []
    for cid in ids:
        customer = await session.get(Customer, cid)  # expect: PA107
        names.append(customer.name)
    return names


async def order_statuses(session: AsyncSession, customer_ids: list[int]) -> dict:
    out = {}
    for cid in customer_ids:
        result = await session.execute(select(Order).where(Order.customer_id == cid))  # expect: PA107
        out[cid] = [o.status for o in result.scalars()]
    return out


async def order_statuses_batched(session: AsyncSession, customer_ids: list[int]) -> dict:
    result = await session.execute(select(Order).where(Order.customer_id.in_(customer_ids)))  # ok: PA107
    out: dict = {}
    for o in result.scalars():
        out.setdefault(o.customer_id, []).append(o.status)  # ok: PA107 (column)
    return out


async def orders_with_customers(session: AsyncSession) -> list[str]:
    orders = (await session.scalars(select(Order).options(selectinload(Order.customer)))).all()
    return [o.customer.name for o in orders]  # ok: PA107 (selectinload)


async def poll_new_orders(session: AsyncSession) -> None:
    while True:
        rows = (await session.scalars(select(Order).where(Order.status == "new"))).all()  # ok: PA107 (polling loop)
        for row in rows:
            row.status = "seen"
        await asyncio.sleep(5)
