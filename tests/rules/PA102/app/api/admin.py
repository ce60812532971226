from fastapi import APIRouter, Depends
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import get_session
from app.models import Order

router = APIRouter()


@router.post("/orders/close")
async def close_orders(ids: list[int], session: AsyncSession = Depends(get_session)):
    for oid in ids:
        await session.execute(update(Order).where(Order.id == oid).values(status="closed"))  # expect: PA102
    await session.commit()


@router.post("/orders/close-fast")
async def close_orders_fast(ids: list[int], session: AsyncSession = Depends(get_session)):
    await session.execute(update(Order).where(Order.id.in_(ids)).values(status="closed"))  # ok: PA102
    await session.commit()
