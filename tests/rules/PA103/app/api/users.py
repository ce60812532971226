from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User
from app.services.mail import plan_of, profile_line, welcome_address

router = APIRouter()


async def get_session():
    yield None


@router.post("/users/{user_id}/welcome")
async def welcome(user_id: int, session: AsyncSession = Depends(get_session)):
    user = await session.get(User, user_id)
    if user is None:
        return {"error": "not found"}
    return {
        "to": await welcome_address(session, user.id),
        "line": await profile_line(session, user.id),
        "plan": await plan_of(session, user.id),
    }


@router.get("/plans/{user_id}")
async def plan(user_id: int, session: AsyncSession = Depends(get_session)):
    return {"plan": await plan_of(session, user_id)}
