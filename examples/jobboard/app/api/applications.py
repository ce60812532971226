"""Applications API: candidates apply and withdraw, recruiters decide."""
from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.deps import get_current_user
from app.db import get_session
from app.models import Application, Job, User
from app.repositories.applications import ApplicationRepository
from app.schemas import ApplicationCreate, ShortlistIn
from app.services import applications as application_service

router = APIRouter(tags=["applications"])


async def _own_job(session: AsyncSession, job_id: int, user: User) -> Job:
    job = await session.get(Job, job_id)
    if job is None or job.company_id != user.company_id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "job not found")
    return job


@router.post("/applications", status_code=status.HTTP_201_CREATED)
async def create_application(
    payload: ApplicationCreate,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
) -> dict:
    try:
        application = await application_service.apply(
            session, payload.job_id, user.id, payload.cover_letter, payload.resume_url
        )
    except application_service.ApplicationError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    return {"id": application.id, "status": application.status}


@router.get("/applications/latest")
async def my_latest_application(
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
) -> dict:
    application = await ApplicationRepository(session).latest_for_candidate(user.id)
    return {"id": application.id, "job_id": application.job_id, "status": application.status}


@router.post("/applications/{application_id}/withdraw")
async def withdraw_application(
    application_id: int,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
) -> dict:
    repo = ApplicationRepository(session)
    application = await repo.get_by_id(application_id)
    if application is None or application.candidate_id != user.id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "application not found")
    application = await application_service.withdraw(session, application.id)
    return {"id": application.id, "status": application.status}


@router.get("/jobs/{job_id}/applications")
async def list_applications(
    job_id: int,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
) -> list[dict]:
    await _own_job(session, job_id, user)
    stmt = select(Application).where(Application.job_id == job_id).order_by(Application.created_at)
    applications = (await session.execute(stmt)).scalars().all()
    items = []
    for application in applications:
        candidate = await application_service.candidate_summary(session, application.candidate_id)
        items.append(
            {
                "id": application.id,
                "status": application.status,
                "score": application.score,
                "candidate": candidate,
            }
        )
    return items


@router.post("/jobs/{job_id}/shortlist")
async def shortlist(
    job_id: int,
    payload: ShortlistIn,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
) -> dict:
    await _own_job(session, job_id, user)
    shortlisted = await application_service.shortlist(session, job_id, payload.application_ids)
    return {"shortlisted": [application.id for application in shortlisted]}


@router.post("/jobs/{job_id}/reject-remaining")
async def reject_remaining(
    job_id: int,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
) -> dict:
    await _own_job(session, job_id, user)
    rejected = await application_service.reject_remaining(session, job_id)
    return {"rejected": rejected}


@router.get("/jobs/{job_id}/pipeline")
async def pipeline(
    job_id: int,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
) -> dict:
    await _own_job(session, job_id, user)
    return await application_service.pipeline_summary(session, job_id)
