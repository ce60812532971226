from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ats.models import Application


class ApplicationRepo:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def list_for_job(self, job_id: int, status: str) -> list[Application]:
        rows = await self.session.scalars(select(Application).where(Application.job_id == job_id, Application.status == status))
        return list(rows)
