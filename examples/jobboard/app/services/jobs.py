"""Job posting lifecycle: publish, close, tagging."""
import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Job, JobEvent, Tag, User
from app.schemas import JobCreate
from app.utils.dates import utcnow
from app.utils.text import slugify

DEFAULT_LIFETIME_DAYS = 45
log = logging.getLogger(__name__)


class JobStateError(Exception):
    pass


async def create_draft(session: AsyncSession, data: JobCreate, author: User, tags: list[Tag]) -> Job:
    job = Job(
        company_id=author.company_id,
        posted_by_id=author.id,
        title=data.title,
        slug=slugify(data.title),
        description=data.description,
        location=data.location,
        remote=data.remote,
        employment_type=data.employment_type,
        salary_min=data.salary_min,
        salary_max=data.salary_max,
        currency=data.currency,
        status="draft",
        tags=tags,
    )
    session.add(job)
    await session.commit()
    return job


async def publish(session: AsyncSession, job_id: int) -> Job:
    job = await session.get(Job, job_id)
    if job is None:
        raise JobStateError(f"job {job_id} does not exist")
    job.status = "open"
    job.published_at = utcnow()
    job.expires_at = job.published_at + timedelta(days=DEFAULT_LIFETIME_DAYS)
    session.add(JobEvent(job_id=job.id, kind="published"))
    await session.commit()
    log.info("job %s published until %s", job.id, job.expires_at)
    return job


async def close(session: AsyncSession, job: Job, reason: str) -> None:
    if job.status == "closed":
        raise JobStateError(f"job {job.id} is already closed")
    job.status = "closed"
    await session.commit()
    session.add(JobEvent(job_id=job.id, kind="closed", message=reason))
    await session.commit()
