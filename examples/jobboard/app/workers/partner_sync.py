"""Synchronisation with partner job boards (Celery, sync code)."""
import logging

import requests
from sqlalchemy import select

from app.config import settings
from app.db import SyncSessionLocal
from app.models import Company, Job, JobEvent
from app.utils.dates import utcnow
from app.utils.retry import retry_call
from app.workers.celery_app import celery_app

log = logging.getLogger(__name__)

# One session per worker process; tasks run one at a time (prefetch 1).
_session = SyncSessionLocal()


class PartnerError(RuntimeError):
    pass


def _post_to_partner(path: str, payload: dict) -> dict:
    resp = requests.post(
        f"{settings.partner_api_url}{path}",
        json=payload,
        headers={"Authorization": f"Bearer {settings.partner_api_token}"},
    )
    if resp.status_code >= 400:
        raise PartnerError(f"partner API {path}: {resp.status_code} {resp.text[:200]}")
    return resp.json()


def _serialize(job: Job) -> dict:
    return {
        "external_id": str(job.id),
        "title": job.title,
        "description": job.description,
        "location": job.location,
        "remote": job.remote,
        "salary": {"min": job.salary_min, "max": job.salary_max, "currency": job.currency},
        "expires_at": job.expires_at.isoformat() if job.expires_at else None,
    }


def profile_url(company: Company) -> str:
    if company.verified_at is None:
        raise ValueError(f"company {company.id} has no verified domain")
    return f"{settings.partner_api_url}/companies/{company.slug}"


@celery_app.task(name="partners.push_job")
def push_job(job_id: int) -> None:
    with SyncSessionLocal() as session:
        job = session.get(Job, job_id)
        if job is None or job.status != "open":
            return
        job.partner_synced_at = utcnow()
        session.flush()  # claim the job so a concurrent push skips it
        result = _post_to_partner("/jobs", _serialize(job))
        session.add(JobEvent(job_id=job.id, kind="partner_pushed", message=result["id"]))
        session.commit()


@celery_app.task(name="partners.withdraw_job")
def withdraw_job(job_id: int, partner_ref: str) -> None:
    # Runs after the job was closed and committed; nothing is held open here.
    retry_call(lambda: _post_to_partner(f"/jobs/{partner_ref}/withdraw", {"job_id": job_id}))


@celery_app.task(name="partners.sync_company_profiles")
def sync_company_profiles() -> int:
    synced = 0
    companies = _session.scalars(select(Company).where(Company.partner_enabled.is_(True))).all()
    for company in companies:
        try:
            company.partner_profile_url = profile_url(company)
            _session.commit()
            synced += 1
        except Exception:
            log.warning("skipping partner profile of company %s", company.id, exc_info=True)
            continue
    return synced
