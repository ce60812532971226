"""Data access for job postings."""
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.models import Job


class JobRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_by_id(self, job_id: int) -> Job | None:
        return await self.session.get(Job, job_id)

    async def get_with_company(self, job_id: int) -> Job | None:
        stmt = select(Job).options(selectinload(Job.company)).where(Job.id == job_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def open_for_company(self, company_id: int) -> Sequence[Job]:
        stmt = (
            select(Job)
            .options(selectinload(Job.company))
            .where(Job.company_id == company_id, Job.status == "open")
            .order_by(Job.published_at.desc())
        )
        return (await self.session.execute(stmt)).scalars().all()
