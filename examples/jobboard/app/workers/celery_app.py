"""Celery application: broker and result backend are Redis."""
from celery import Celery
from celery.schedules import crontab

from app.config import settings

celery_app = Celery(
    "jobboard",
    broker=settings.redis_url,
    backend=settings.redis_url,
    include=["app.workers.screening", "app.workers.partner_sync", "app.workers.maintenance"],
)
celery_app.conf.update(
    task_acks_late=True,
    worker_prefetch_multiplier=1,
    timezone="UTC",
)
celery_app.conf.beat_schedule = {
    "partner-profiles-hourly": {
        "task": "partners.sync_company_profiles",
        "schedule": crontab(minute=5),
    },
    "purge-job-events-nightly": {
        "task": "maintenance.purge_closed_job_events",
        "schedule": crontab(hour=3, minute=30),
    },
}
