"""Weekly recruiter report: pipeline numbers plus market salary context."""
import logging

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import settings
from app.models import Application, Company, Job
from app.utils.dates import iso_week, utcnow
from app.utils.retry import backoff_sleep

log = logging.getLogger(__name__)

SALARY_BANDS = {"junior": (0, 45_000), "mid": (45_000, 70_000), "senior": (70_000, 10**7)}


async def fetch_market_rates(country: str) -> dict[str, int]:
    """Median salaries per band from the rates provider; empty on failure."""
    async with httpx.AsyncClient(base_url=settings.market_rates_url) as client:
        for attempt in range(3):
            try:
                resp = await client.get("/medians", params={"country": country})
                resp.raise_for_status()
                return resp.json()["medians"]
            except httpx.TransportError:
                log.warning("rates provider unreachable (attempt %d)", attempt + 1)
                backoff_sleep(attempt)
    return {}


def _band(salary: int | None) -> str | None:
    if salary is None:
        return None
    bands = dict(SALARY_BANDS)
    for name, (low, high) in bands.items():
        if low <= salary < high:
            return name
    return None


async def build_weekly_report(session: AsyncSession, company: Company) -> dict:
    country = company.domain.rsplit(".", 1)[-1] if company.domain else "de"
    rates = await fetch_market_rates(country)

    jobs_stmt = select(Job.id, Job.title, Job.status, Job.remote, Job.salary_max).where(
        Job.company_id == company.id
    )
    jobs = (await session.execute(jobs_stmt)).all()
    counts_stmt = (
        select(Application.job_id, func.count(Application.id))
        .join(Job, Job.id == Application.job_id)
        .where(Job.company_id == company.id)
        .group_by(Application.job_id)
    )
    counts = {job_id: total for job_id, total in (await session.execute(counts_stmt)).all()}

    open_jobs = [job for job in jobs if job.status == "open"]
    remote_share = len([job for job in open_jobs if job.remote]) / max(len(open_jobs), 1)
    rows = []
    total_applications = 0
    for job in open_jobs:
        applications = counts.get(job.id, 0)
        total_applications += applications
        band = _band(job.salary_max)
        rows.append(
            {
                "title": job.title,
                "applications": applications,
                "band": band,
                "market_median": rates.get(band) if band else None,
            }
        )
    return {
        "company": company.name,
        "week": iso_week(utcnow()),
        "open_jobs": len(open_jobs),
        "remote_share": round(remote_share, 2),
        "applications": total_applications,
        "summary": ", ".join([f"{row['title']} ({row['applications']})" for row in rows]),
        "jobs": rows,
    }
