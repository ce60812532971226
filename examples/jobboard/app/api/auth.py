"""Registration and login."""
import asyncio
import hashlib
import hmac
import os
import time

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import settings
from app.db import get_session
from app.models import User
from app.schemas import LoginIn, RegisterIn
from app.utils.security import hash_password, sign_token

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/register", status_code=status.HTTP_201_CREATED)
async def register(payload: RegisterIn, session: AsyncSession = Depends(get_session)) -> dict:
    salt = os.urandom(16)
    digest = await asyncio.to_thread(hash_password, payload.password, salt)
    user = User(
        email=payload.email.lower(),
        full_name=payload.full_name,
        password_hash=digest,
        password_salt=salt,
    )
    session.add(user)
    await session.commit()
    return {"id": user.id}


@router.post("/login")
async def login(payload: LoginIn, session: AsyncSession = Depends(get_session)) -> dict:
    stmt = select(User).where(User.email == payload.email.lower())
    user = (await session.execute(stmt)).scalar_one_or_none()
    if user is None:
        time.sleep(0.5)  # make unknown e-mails as slow as wrong passwords
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid credentials")
    candidate = hashlib.pbkdf2_hmac("sha256", payload.password.encode(), user.password_salt, settings.pbkdf2_rounds)
    if not hmac.compare_digest(candidate, user.password_hash):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid credentials")
    return {"access_token": sign_token(user.id), "token_type": "bearer"}
