"""Applications: apply, withdraw, shortlist and bulk decisions."""
import logging
from datetime import datetime

import httpx
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import settings
from app.models import Application, Job, User
from app.repositories.applications import ApplicationRepository

log = logging.getLogger(__name__)


class ApplicationError(Exception):
    pass


async def apply(
    session: AsyncSession,
    job_id: int,
    candidate_id: int,
    cover_letter: str | None,
    resume_url: str | None,
) -> Application:
    job = await session.get(Job, job_id)
    if job is None or job.status != "open":
        raise ApplicationError("this job is not accepting applications")
    applicant = await session.get(User, candidate_id)

    application = Application(
        job_id=job.id,
        candidate_id=candidate_id,
        cover_letter=cover_letter,
        resume_url=resume_url,
    )
    session.add(application)
    await session.flush()

    # The ATS keeps its own copy; it needs our id, hence after the flush.
    async with httpx.AsyncClient() as client:
        await client.post(
            settings.ats_webhook_url,
            json={"application_id": application.id, "job_id": job.id, "email": applicant.email},
        )
    await session.commit()
    return application


async def candidate_summary(session: AsyncSession, candidate_id: int) -> dict:
    user = await session.get(User, candidate_id)
    return {"id": user.id, "name": user.full_name, "email": user.email}


async def withdraw(session: AsyncSession, application_id: int) -> Application:
    repo = ApplicationRepository(session)
    application = await repo.get_by_id(application_id)
    if application is None:
        raise ApplicationError(f"application {application_id} not found")
    application.status = "withdrawn"
    await session.commit()
    return application


async def shortlist(session: AsyncSession, job_id: int, application_ids: list[int]) -> list[Application]:
    shortlisted = []
    for application_id in application_ids:
        application = await session.get(Application, application_id)
        if application is None or application.job_id != job_id:
            continue
        application.status = "shortlisted"
        shortlisted.append(application)
    await session.commit()
    return shortlisted


async def reject_remaining(session: AsyncSession, job_id: int) -> int:
    """Reject every application still waiting for a decision (job filled)."""
    repo = ApplicationRepository(session)
    pending = await repo.list_for_job(job_id, status="submitted")
    for application in pending:
        await repo.set_status(application.id, "rejected")
    await session.commit()
    return len(pending)


async def pipeline_summary(session: AsyncSession, job_id: int) -> dict:
    applications = await ApplicationRepository(session).list_for_job(job_id)
    return {
        "total": len(applications),
        "shortlisted": sum(1 for a in applications if a.status == "shortlisted"),
        "filled": any([a.status == "hired" for a in applications]),
    }


async def purge_closed_out(session: AsyncSession, cutoff: datetime) -> None:
    """GDPR retention: drop applications that ended before the cutoff."""
    for final_status in ("withdrawn", "rejected"):
        await session.execute(
            delete(Application).where(Application.status == final_status, Application.updated_at < cutoff)
        )
    await session.commit()
