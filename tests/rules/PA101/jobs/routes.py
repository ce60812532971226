from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.ext.asyncio import AsyncSession

from jobs import job_service
from jobs.models import Job

router = APIRouter()


async def get_session():
    yield None


@router.post("/jobs/{job_id}/publish")
async def publish_job(job_id: int, session: AsyncSession = Depends(get_session)):
    job = await session.get(Job, job_id)
    if job is None:
        raise HTTPException(404)
    return await job_service.publish(session, job.id)


@router.post("/jobs/{job_id}/publish2")
async def publish_job_fixed(job_id: int, session: AsyncSession = Depends(get_session)):
    job = await session.get(Job, job_id)
    if job is None:
        raise HTTPException(404)
    return await job_service.publish_object(session, job)
