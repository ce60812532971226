from sqlalchemy import select

from app.db import SessionLocal
from app.models import Job


def reset_all() -> None:
    with SessionLocal() as session:
        jobs = session.scalars(select(Job).where(Job.status == "failed")).all()
        for job in jobs:
            job.status = "queued"  # expect: PA201 (MEDIUM: each row once)
        session.commit()
