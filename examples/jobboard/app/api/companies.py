"""Companies API: onboarding, logo upload, webhook test."""
import logging
from pathlib import Path

import requests
from fastapi import APIRouter, Depends, HTTPException, UploadFile, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.api.deps import get_current_user
from app.config import settings
from app.db import get_session
from app.models import Company, User
from app.repositories.jobs import JobRepository
from app.schemas import CompanyCreate, JobOut, WebhookTest
from app.services import companies as company_service

router = APIRouter(prefix="/companies", tags=["companies"])
log = logging.getLogger(__name__)

ALLOWED_LOGO_TYPES = {"image/png": ".png", "image/svg+xml": ".svg", "image/jpeg": ".jpg"}


@router.get("")
async def list_companies(session: AsyncSession = Depends(get_session)) -> list[dict]:
    stmt = select(Company).options(selectinload(Company.jobs)).order_by(Company.name)
    result = await session.execute(stmt)
    out = []
    for company in result.scalars():
        open_jobs = 0
        for job in company.jobs:
            if job.status == "open":
                open_jobs += 1
        out.append({"id": company.id, "name": company.name, "slug": company.slug, "open_jobs": open_jobs})
    return out


@router.get("/{company_id}/jobs", response_model=list[JobOut])
async def company_jobs(company_id: int, session: AsyncSession = Depends(get_session)):
    jobs = await JobRepository(session).open_for_company(company_id)
    return [JobOut.model_validate(job) for job in jobs]


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_company(
    payload: CompanyCreate,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
) -> dict:
    if user.company_id is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, "you already belong to a company")
    company = await company_service.create_company_with_owner(session, payload, user)
    return {"id": company.id, "slug": company.slug}


@router.post("/{company_id}/logo", status_code=status.HTTP_204_NO_CONTENT)
async def upload_logo(
    company_id: int,
    logo: UploadFile,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
) -> None:
    if user.company_id != company_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "not your company")
    suffix = ALLOWED_LOGO_TYPES.get(logo.content_type or "")
    if suffix is None:
        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "logo must be PNG, SVG or JPEG")
    path = Path(settings.upload_dir) / "logos" / f"company-{company_id}{suffix}"
    data = await logo.read()
    with open(path, "wb") as fh:
        fh.write(data)
    company = await session.get(Company, company_id)
    company.logo_path = str(path)
    await session.commit()


@router.post("/{company_id}/webhook/test")
async def test_webhook(
    company_id: int,
    payload: WebhookTest,
    user: User = Depends(get_current_user),
) -> dict:
    """Send a sample event to the URL a recruiter is about to save."""
    if user.company_id != company_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "not your company")
    resp = requests.post(str(payload.url), json={"event": "ping", "company_id": company_id})
    return {"status_code": resp.status_code, "ok": resp.ok}
