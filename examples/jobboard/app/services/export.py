"""CSV export of a company's pipeline (see ADR-007 for the file handling)."""
import csv
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import settings
from app.models import Application, Company, Job


async def export_report(session: AsyncSession, company: Company) -> Path:
    stmt = (
        select(Job.title, Job.status, func.count(Application.id))
        .outerjoin(Application, Application.job_id == Job.id)
        .where(Job.company_id == company.id)
        .group_by(Job.id, Job.title, Job.status)
        .order_by(Job.title)
    )
    rows = (await session.execute(stmt)).all()
    path = Path(settings.export_dir) / f"{company.slug}-{date.today():%Y%m%d}.csv"
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["title", "status", "applications"])
        writer.writerows(rows)
    return path
