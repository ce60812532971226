from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

router = APIRouter()


class DocBase(DeclarativeBase):
    pass


class Tag(DocBase):
    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column()


async def get_session():
    yield None


class TagCatalog:
    def __init__(self, session: AsyncSession = Depends(get_session)) -> None:
        self.session = session
        self._cache: dict[str, Tag] | None = None

    async def by_slug(self) -> dict[str, Tag]:
        if self._cache is None:
            result = await self.session.execute(select(Tag))  # expect: PA106
            self._cache = {t.slug: t for t in result.scalars()}
        return self._cache


@router.get("/tags")
async def list_tags(catalog: TagCatalog = Depends(TagCatalog)):
    return await catalog.by_slug()
