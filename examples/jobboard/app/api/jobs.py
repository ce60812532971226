"""Job postings API."""
import asyncio
import logging

from fastapi import APIRouter, Depends, HTTPException, Request, UploadFile, status
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.api.deps import TagCatalog, get_current_user
from app.db import get_session
from app.models import Job, User
from app.schemas import JobCreate, JobOut, JobSummary
from app.services import importer
from app.services import jobs as job_service
from app.workers.screening import screen_job

router = APIRouter(prefix="/jobs", tags=["jobs"])
log = logging.getLogger(__name__)


@router.get("", response_model=list[JobSummary])
async def list_jobs(limit: int = 50, offset: int = 0, session: AsyncSession = Depends(get_session)):
    result = await session.execute(select(Job).where(Job.status == "open").limit(limit).offset(offset))
    jobs = result.scalars().all()
    return [{"id": job.id, "title": job.title, "location": job.location} for job in jobs]


@router.get("/search", response_model=list[JobSummary])
async def search_jobs(request: Request, q: str, session: AsyncSession = Depends(get_session)):
    params = dict(request.query_params)
    stmt = select(Job.id, Job.title, Job.location).where(Job.status == "open", Job.title.ilike(f"%{q}%"))
    if "remote" in params:
        stmt = stmt.where(Job.remote.is_(params["remote"] == "true"))
    if "location" in params:
        stmt = stmt.where(Job.location.ilike(f"%{params['location']}%"))
    rows = (await session.execute(stmt.order_by(Job.published_at.desc()).limit(50))).all()
    return [{"id": row.id, "title": row.title, "location": row.location} for row in rows]


@router.get("/stats")
async def job_stats(session: AsyncSession = Depends(get_session)) -> dict:
    total = len((await session.execute(select(Job))).scalars().all())
    by_status = {}
    for status_name in ("open", "paused", "closed"):
        count_stmt = select(func.count()).select_from(Job).where(Job.status == status_name)
        by_status[status_name] = await session.scalar(count_stmt)
    return {"total": total, "by_status": by_status}


@router.get("/feed")
async def job_feed(session: AsyncSession = Depends(get_session)) -> list[dict]:
    """Public feed consumed by aggregator sites."""
    stmt = (
        select(Job)
        .options(selectinload(Job.company))
        .where(Job.status == "open")
        .order_by(Job.published_at.desc())
        .limit(200)
    )
    jobs = (await session.execute(stmt)).scalars().all()
    items = []
    for job in jobs:
        items.append(
            {
                "id": job.id,
                "company_id": job.company_id,
                "company": job.company.name,
                "title": job.title,
                "url": f"/jobs/{job.id}-{job.slug}",
                "description": job.description,
                "location": job.location,
                "remote": job.remote,
                "employment_type": job.employment_type,
                "salary": {"min": job.salary_min, "max": job.salary_max, "currency": job.currency},
                "tags": [tag.slug for tag in job.tags],
                "published_at": job.published_at,
                "expires_at": job.expires_at,
            }
        )
    return items


@router.get("/{job_id}", response_model=JobOut)
async def get_job(job_id: int, session: AsyncSession = Depends(get_session)):
    job = await session.get(Job, job_id)
    if job is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "job not found")
    return JobOut.model_validate(job)


@router.post("", response_model=JobOut, status_code=status.HTTP_201_CREATED)
async def create_job(
    payload: JobCreate,
    user: User = Depends(get_current_user),
    catalog: TagCatalog = Depends(TagCatalog),
    session: AsyncSession = Depends(get_session),
):
    if not user.is_recruiter or user.company_id is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "recruiters only")
    tags = await catalog.resolve(payload.tags)
    job = await job_service.create_draft(session, payload, user, tags)
    return JobOut.model_validate(job)


@router.post("/{job_id}/publish", response_model=JobOut)
async def publish_job(
    job_id: int,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
):
    job = await session.get(Job, job_id)
    if job is None or job.company_id != user.company_id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "job not found")
    if job.status != "draft":
        raise HTTPException(status.HTTP_409_CONFLICT, f"job is {job.status}")
    published = await job_service.publish(session, job.id)
    return JobOut.model_validate(published)


@router.post("/{job_id}/close", status_code=status.HTTP_204_NO_CONTENT)
async def close_job(
    job_id: int,
    reason: str = "filled",
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
) -> None:
    job = await session.get(Job, job_id)
    if job is None or job.company_id != user.company_id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "job not found")
    try:
        await job_service.close(session, job, reason)
    except job_service.JobStateError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc


@router.post("/import", status_code=status.HTTP_202_ACCEPTED)
async def import_jobs(
    feed: UploadFile,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
) -> dict:
    if not user.is_recruiter or user.company_id is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "recruiters only")
    try:
        created = await importer.import_feed(session, user.company_id, user.id, feed)
    except importer.FeedError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from exc
    return {"imported": created}


@router.post("/{job_id}/screen", status_code=status.HTTP_202_ACCEPTED)
async def start_screening(
    job_id: int,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
) -> dict:
    job = await session.get(Job, job_id)
    if job is None or job.company_id != user.company_id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "job not found")
    # Celery's delay() talks to Redis synchronously.
    await asyncio.to_thread(screen_job.delay, job.id)
    return {"job_id": job.id, "status": "queued"}
