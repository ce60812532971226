from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User

router = APIRouter()


async def get_session():
    yield None


async def get_current_user() -> User:
    return User()


async def notify_ats(job_id: int, email: str) -> None:
    return None


@router.post("/applications")
async def create_application(job_id: int, user: User = Depends(get_current_user),
                             session: AsyncSession = Depends(get_session)):
    return await apply(session, job_id, user.id)


async def apply(session: AsyncSession, job_id: int, candidate_id: int):
    applicant = await session.get(User, candidate_id)  # expect: PA103
    await notify_ats(job_id, applicant.email)
