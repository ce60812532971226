"""Candidate screening.

Scores every application of a job against the screening keywords and
reports progress through `jobs.progress`; the recruiter dashboard follows it
live over SSE (see app/realtime.py).
"""
import asyncio
import logging
from time import sleep

from sqlalchemy import select

from app.config import settings
from app.db import SessionLocal
from app.models import Application, Job
from app.utils.scoring import score_application
from app.workers.celery_app import celery_app

log = logging.getLogger(__name__)

# Pause between batches so the API pods sharing the database are not starved.
BATCH_PAUSE_SECONDS = 0.05


async def run_screening(job_id: int) -> None:
    with open(settings.screening_rules_path) as fh:
        keywords = [line.strip() for line in fh if line.strip() and not line.startswith("#")]

    async with SessionLocal() as session:
        job = await session.get(Job, job_id)
        if job is None:
            log.warning("screening requested for missing job %s", job_id)
            return
        stmt = select(Application).where(Application.job_id == job.id).order_by(Application.id)
        applications = (await session.execute(stmt)).scalars().all()
        total = len(applications)
        job.status = "screening"
        job.progress = 0

        for done, application in enumerate(applications, start=1):
            application.score = score_application(application, keywords)
            job.progress = int(done * 100 / total)
            await session.flush()
            if done % settings.screening_batch_size == 0:
                sleep(BATCH_PAUSE_SECONDS)

        job.status = "screened"
        await session.commit()
        log.info("screened %d applications for job %s", total, job.id)


async def preview_keywords() -> list[str]:
    """Keywords as the dashboard shows them (read off the event loop)."""
    with_comments = await asyncio.to_thread(_read_lines, settings.screening_rules_path)
    return [line for line in with_comments if not line.startswith("#")]


def _read_lines(path: str) -> list[str]:
    with open(path) as fh:
        return [line.strip() for line in fh if line.strip()]


@celery_app.task(name="screening.screen_job", acks_late=True)
def screen_job(job_id: int) -> None:
    asyncio.run(run_screening(job_id))
