"""Data access for applications."""
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Application


class ApplicationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_by_id(self, application_id: int) -> Application | None:
        return await self.session.get(Application, application_id)

    async def list_for_job(self, job_id: int, status: str | None = None) -> Sequence[Application]:
        stmt = select(Application).where(Application.job_id == job_id)
        if status is not None:
            stmt = stmt.where(Application.status == status)
        result = await self.session.execute(stmt.order_by(Application.id))
        return result.scalars().all()

    async def latest_for_candidate(self, candidate_id: int) -> Application:
        stmt = select(Application).where(Application.candidate_id == candidate_id)
        result = await self.session.execute(stmt.order_by(Application.created_at.desc()))
        return result.scalars().all()[0]

    async def set_status(self, application_id: int, status: str) -> None:
        await self.session.execute(
            update(Application).where(Application.id == application_id).values(status=status)
        )

    def add_many(self, applications: list[Application]) -> None:
        self.session.add_all(applications)
