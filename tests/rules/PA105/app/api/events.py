from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel

from app.db import get_session

router = APIRouter()


class Hit(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    path: str


@router.post("/hits")
async def record_hits(paths: list[str], session: AsyncSession = Depends(get_session)):
    for path in paths:
        session.add(Hit(path=path))  # expect: PA105
    await session.commit()


@router.post("/hits/bulk")
async def record_hits_bulk(paths: list[str], session: AsyncSession = Depends(get_session)):
    session.add_all([Hit(path=p) for p in paths])  # ok: PA105
    await session.commit()
