from fastapi import APIRouter, Depends
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel

from app.models import Product

router = APIRouter()


async def get_db():
    yield None


class Reading(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    sensor: str


@router.get("/async/products/count")
async def count_async(db: AsyncSession = Depends(get_db)):
    result = await db.execute(select(Product))
    n = len(result.scalars().all())  # ok: PA104 (the query ran above; counting a fetched list is PA302's business)
    total = len((await db.scalars(select(Product))).all())  # expect: PA104
    return {"n": n, "total": total}


@router.get("/async/products/count-fast")
async def count_async_fast(db: AsyncSession = Depends(get_db)):
    return {"n": await db.scalar(select(func.count()).select_from(Product))}  # ok: PA104


@router.get("/readings/first")
async def first_reading(db: AsyncSession = Depends(get_db)):
    first = (await db.exec(select(Reading))).all()[0]  # expect: PA104
    return {"sensor": first.sensor}


class Job(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str
    location: str
    status: str
    company: str
    salary_min: int
    salary_max: int
    remote: bool
    description: str
    requirements: str
    benefits: str
    contact: str


@router.get("/jobs")
async def list_jobs(session: AsyncSession = Depends(get_db)):
    result = await session.execute(select(Job).where(Job.status == "open"))  # expect: PA104
    return [{"id": j.id, "title": j.title, "location": j.location}
            for j in result.scalars()]


@router.get("/jobs/narrow")
async def list_jobs_narrow(session: AsyncSession = Depends(get_db)):
    stmt = select(Job.id, Job.title, Job.location).where(Job.status == "open")
    return [row._asdict() for row in await session.execute(stmt)]  # ok: PA104 (column select)


@router.get("/jobs/total")
async def jobs_total(session: AsyncSession = Depends(get_db), stmt=None):
    total = len((await session.execute(select(Job))).scalars().all())  # expect: PA104
    latest = (await session.execute(stmt)).scalars().all()[0]  # expect: PA104
    return {"total": total, "latest": latest.id}
