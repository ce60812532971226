"""Shared FastAPI dependencies: the current user and the tag catalogue."""
from fastapi import Depends, Header, HTTPException, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import get_session
from app.models import Tag, User
from app.utils.security import read_token


async def get_current_user(
    authorization: str = Header(...),
    session: AsyncSession = Depends(get_session),
) -> User:
    scheme, _, token = authorization.partition(" ")
    user_id = read_token(token) if scheme.lower() == "bearer" else None
    if user_id is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid or expired token")
    user = await session.get(User, user_id)
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "unknown user")
    return user


class TagCatalog:
    """Tag lookups for handlers. The tag list is curated by the content team
    and changes a few times a year."""

    def __init__(self, session: AsyncSession = Depends(get_session)) -> None:
        self.session = session
        self._cache: dict[str, Tag] | None = None

    async def by_slug(self) -> dict[str, Tag]:
        if self._cache is None:
            result = await self.session.execute(select(Tag).order_by(Tag.category, Tag.name))
            self._cache = {tag.slug: tag for tag in result.scalars()}
        return self._cache

    async def resolve(self, slugs: list[str]) -> list[Tag]:
        catalog = await self.by_slug()
        unknown = sorted(set(slugs) - catalog.keys())
        if unknown:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, f"unknown tags: {unknown}")
        return [catalog[slug] for slug in slugs]
