"""Database engines and sessions.

The API uses the async engine (asyncpg). Celery tasks are plain sync
functions, so they get their own sync engine (psycopg 3).
"""
from collections.abc import AsyncIterator

from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import sessionmaker

from app.config import settings

engine = create_async_engine(
    settings.database_url,
    pool_size=10,
    max_overflow=5,
    pool_pre_ping=True,
)
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)

sync_engine = create_engine(settings.database_url_sync, pool_size=5, max_overflow=0)
SyncSessionLocal = sessionmaker(sync_engine, expire_on_commit=False)


async def get_session() -> AsyncIterator[AsyncSession]:
    """FastAPI dependency: one session per request, closed (and rolled back
    if still in a transaction) when the request ends."""
    async with SessionLocal() as session:
        yield session
