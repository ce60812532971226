from sqlalchemy.ext.asyncio import AsyncSession

from jobs.models import Job


async def publish(session: AsyncSession, job_id: int) -> Job:
    job = await session.get(Job, job_id)  # expect: PA101
    job.status = "open"
    await session.commit()
    return job


async def publish_object(session: AsyncSession, job: Job) -> Job:
    job.status = "open"  # ok: PA101 (the object is passed)
    await session.commit()
    return job
