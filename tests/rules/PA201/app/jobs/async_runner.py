import asyncio

from sqlalchemy import update

from app.db import AsyncSessionLocal
from app.models import Job


async def run_job_async(job_id: int, steps: list) -> None:
    async with AsyncSessionLocal() as session:
        job = await session.get(Job, job_id)
        for i, step in enumerate(steps):
            await asyncio.sleep(0)
            job.progress = i  # expect: PA201
        await session.commit()


async def run_job_async_milestones(job_id: int, steps: list) -> None:
    async with AsyncSessionLocal() as session:
        for i, step in enumerate(steps):
            await asyncio.sleep(0)
            await session.execute(update(Job).where(Job.id == job_id).values(progress=i))  # ok: PA201 (committed each step)
            await session.commit()
