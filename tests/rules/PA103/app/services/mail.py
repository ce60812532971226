from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User


async def welcome_address(session: AsyncSession, user_id: int) -> str:
    user = await session.get(User, user_id)  # expect: PA103
    return f"Welcome <{user.email}>"


async def profile_line(session: AsyncSession, user_id: int) -> str:
    user = await session.get(User, user_id)  # ok: PA103 (two attributes)
    return f"{user.name} <{user.email}>"


async def plan_of(session: AsyncSession, user_id: int) -> str:
    user = (await session.execute(select(User).where(User.id == user_id))).scalar_one()  # ok: PA103 (a caller passes a bare id)
    return user.plan
