from sqlalchemy import update
from sqlalchemy.orm import Session

from app.db import SessionLocal
from app.models import Job, Report


def process_step(step):
    return step * 2


def run_job(job_id: int, steps: list) -> None:
    with SessionLocal() as session:
        job = session.get(Job, job_id)
        job.status = "running"
        for i, step in enumerate(steps):
            process_step(step)
            job.progress = int((i + 1) * 100 / len(steps))  # expect: PA201
            session.flush()
        job.status = "done"
        session.commit()


def run_job_with_milestones(job_id: int, steps: list) -> None:
    with SessionLocal() as session:
        job = session.get(Job, job_id)
        for i, step in enumerate(steps):
            process_step(step)
            job.progress = int((i + 1) * 100 / len(steps))  # ok: PA201 (committed every step)
            session.commit()


def run_job_every_ten(job_id: int, steps: list) -> None:
    with SessionLocal() as session:
        job = session.get(Job, job_id)
        for i, step in enumerate(steps):
            process_step(step)
            job.progress = i  # ok: PA201 (milestone commit every 10 steps)
            if i % 10 == 0:
                session.commit()
        session.commit()


def run_job_statement(session: Session, job_id: int, steps: list) -> None:
    for i, step in enumerate(steps):
        process_step(step)
        session.execute(update(Job).where(Job.id == job_id).values(progress=i))  # expect: PA201
    session.commit()


def run_job_raw(conn, job_id: int, steps: list) -> None:
    cur = conn.cursor()
    for i, step in enumerate(steps):
        process_step(step)
        cur.execute("UPDATE jobs SET progress = %s WHERE id = %s", (i, job_id))  # expect: PA201
    conn.commit()


def run_report(report_id: int, steps: list) -> None:
    with SessionLocal() as session:
        report = session.get(Report, report_id)
        for i, step in enumerate(steps):
            process_step(step)
            report.progress = i  # ok: PA201 (reports has no NOTIFY trigger)
        session.commit()


def run_job_begin_per_step(job_id: int, steps: list) -> None:
    session = SessionLocal()
    for i, step in enumerate(steps):
        with session.begin():
            job = session.get(Job, job_id)
            job.progress = i  # ok: PA201 (each step is its own transaction)


def run_job_stages(job_id: int) -> None:
    with SessionLocal() as session:
        job = session.get(Job, job_id)
        job.status = "running"  # expect: PA201
        process_step(job_id)
        job.status = "done"
        session.commit()


def finish_job(job_id: int) -> None:
    with SessionLocal() as session:
        job = session.get(Job, job_id)
        job.status = "done"  # ok: PA201 (two columns set together, no intermediate state)
        job.progress = 100
        session.commit()


def create_jobs(names: list) -> None:
    with SessionLocal() as session:
        for name in names:
            process_step(name)
            session.add(Job(status=name, progress=0))  # ok: PA201 (INSERTs do not fire the AFTER UPDATE trigger)
        session.commit()


def publish(job_id: int) -> None:
    with SessionLocal() as session:
        job = session.get(Job, job_id)
        job.status = "open"  # ok: PA201 (one staged UPDATE: the calls are part of the assignments)
        job.progress = process_step(0)
        job.status = "published"
        session.commit()


def set_progress(job_id: int, value: int) -> None:
    with SessionLocal.begin() as session:
        session.execute(update(Job).where(Job.id == job_id).values(progress=value))


def run_job_own_transactions(job_id: int, steps: list) -> None:
    for i, step in enumerate(steps):
        process_step(step)
        set_progress(job_id, i)  # ok: PA201 (each call commits its own transaction)
