"""Recruiter reports: weekly summary, pipeline CSV, export to the shared volume."""
from fastapi import APIRouter, Depends, HTTPException, Response, status
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.deps import get_current_user
from app.db import get_session
from app.models import Application, Company, Job, User
from app.services import reporting
from app.services.export import export_report

router = APIRouter(prefix="/reports", tags=["reports"])


async def _own_company(session: AsyncSession, company_id: int, user: User) -> Company:
    if user.company_id != company_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "not your company")
    company = await session.get(Company, company_id)
    if company is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "company not found")
    return company


@router.get("/{company_id}/weekly")
async def weekly_report(
    company_id: int,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
) -> dict:
    company = await _own_company(session, company_id, user)
    return await reporting.build_weekly_report(session, company)


@router.get("/{company_id}/pipeline.csv")
async def pipeline_csv(
    company_id: int,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
) -> Response:
    await _own_company(session, company_id, user)
    stmt = (
        select(Job.title, Application.status, func.count(Application.id).label("n"))
        .join(Application, Application.job_id == Job.id)
        .where(Job.company_id == company_id)
        .group_by(Job.title, Application.status)
        .order_by(Job.title)
    )
    rows = (await session.execute(stmt)).all()
    out = "job,status,applications\n"
    for row in rows:
        out += f'"{row.title}",{row.status},{row.n}\n'
    return Response(out, media_type="text/csv")


@router.post("/{company_id}/export")
async def export(
    company_id: int,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
) -> dict:
    company = await _own_company(session, company_id, user)
    path = await export_report(session, company)
    return {"file": path.name}
