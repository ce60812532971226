"""Housekeeping tasks: digests, event retention, import resets (Celery, sync)."""
import json
import logging
import smtplib
import time
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import delete, select

from app.config import settings
from app.db import SyncSessionLocal
from app.models import Company, Job, JobEvent, User
from app.utils.dates import utcnow
from app.utils.text import render_digest
from app.workers.celery_app import celery_app

log = logging.getLogger(__name__)


def _send_mail(recipients: list[str], subject: str, body: str) -> None:
    msg = EmailMessage()
    msg["From"] = "jobboard@example.com"
    msg["To"] = ", ".join(recipients)
    msg["Subject"] = subject
    msg.set_content(body)
    with smtplib.SMTP("localhost") as smtp:
        smtp.send_message(msg)


@celery_app.task(name="maintenance.send_application_digest")
def send_application_digest(job_id: int) -> None:
    with SyncSessionLocal() as session:
        job = session.get(Job, job_id)
        if job is None:
            return
        lines = []
        for application in job.applications:
            lines.append(f"{application.candidate.full_name} <{application.candidate.email}> ({application.status})")
        recruiters = session.scalars(
            select(User).where(User.company_id == job.company_id, User.is_recruiter.is_(True))
        ).all()
        for recruiter in recruiters:
            session.add(JobEvent(job_id=job.id, kind="digest_sent", message=recruiter.email))
        session.commit()
        title = job.title
        emails = [recruiter.email for recruiter in recruiters]

    if lines and emails:
        _send_mail(emails, f"Applications for {title}", render_digest(title, lines))


@celery_app.task(name="maintenance.purge_closed_job_events")
def purge_closed_job_events(days: int = 90) -> int:
    cutoff = utcnow() - timedelta(days=days)
    with SyncSessionLocal() as session:
        closed_ids = session.scalars(select(Job.id).where(Job.status == "closed", Job.updated_at < cutoff)).all()
        for job_id in closed_ids:
            session.execute(delete(JobEvent).where(JobEvent.job_id == job_id))
        session.commit()
    log.info("purged events of %d closed jobs", len(closed_ids))
    return len(closed_ids)


@celery_app.task(name="maintenance.archive_job_events")
def archive_job_events(job_id: int) -> str:
    path = Path(settings.export_dir) / f"job-{job_id}-events.jsonl"
    with SyncSessionLocal() as session, session.begin():
        events = session.scalars(select(JobEvent).where(JobEvent.job_id == job_id).order_by(JobEvent.id)).all()
        with open(path, "w") as fh:
            for event in events:
                fh.write(json.dumps({"kind": event.kind, "message": event.message, "at": event.created_at.isoformat()}))
                fh.write("\n")
        session.execute(delete(JobEvent).where(JobEvent.job_id == job_id))
    return str(path)


@celery_app.task(name="maintenance.reset_company_import")
def reset_company_import(company_id: int) -> int:
    """Drop the drafts of a failed partner import so it can be re-run."""
    with SyncSessionLocal() as session, session.begin():
        company = session.get(Company, company_id)
        company.import_locked = True
        # give in-flight API imports a moment to notice the lock
        time.sleep(5)
        result = session.execute(
            delete(Job).where(Job.company_id == company.id, Job.status == "draft", Job.partner_ref.is_not(None))
        )
        company.import_locked = False
    return result.rowcount
