"""Liveness/readiness probes and build info."""
import asyncio
import subprocess
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import get_session

router = APIRouter(tags=["health"])

BUILD_INFO = Path(__file__).resolve().parents[2] / "BUILD_INFO"


@router.get("/healthz")
async def healthz(session: AsyncSession = Depends(get_session)) -> dict:
    await session.execute(text("SELECT 1"))
    return {"status": "ok"}


@router.get("/readyz")
async def readyz() -> dict:
    # pg_isready also checks that the server accepts connections (not just TCP)
    proc = subprocess.run(["pg_isready", "-h", "db", "-U", "jobboard"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, proc.stdout.strip())
    return {"status": "ready"}


@router.get("/version")
async def version() -> dict:
    info = await asyncio.to_thread(BUILD_INFO.read_text)
    commit, _, built_at = info.strip().partition(" ")
    return {"commit": commit, "built_at": built_at}
