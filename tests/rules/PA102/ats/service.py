from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from ats.models import Application
from ats.repo import ApplicationRepo


async def reject_remaining(session: AsyncSession, job_id: int) -> None:
    repo = ApplicationRepo(session)
    pending = await repo.list_for_job(job_id, status="submitted")
    for application in pending:
        await session.execute(  # expect: PA102
            update(Application)
            .where(Application.id == application.id)
            .values(status="rejected")
        )
    await session.commit()


async def reject_remaining_fixed(session: AsyncSession, job_id: int) -> None:
    await session.execute(  # ok: PA102 (one set-based statement)
        update(Application)
        .where(Application.job_id == job_id, Application.status == "submitted")
        .values(status="rejected")
    )
    await session.commit()
