from sqlalchemy import ForeignKey, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, selectinload


class DocBase(DeclarativeBase):
    pass


class User(DocBase):
    __tablename__ = "doc_users"
    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column()


class Application(DocBase):
    __tablename__ = "doc_applications"
    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("doc_users.id"))
    candidate: Mapped["User"] = relationship()


async def list_applications(session: AsyncSession, job_id: int):
    stmt = select(Application)
    applications = (await session.execute(stmt)).scalars().all()
    items = []
    for application in applications:
        candidate = await session.get(User, application.candidate_id)  # expect: PA107
        items.append({"id": application.id, "candidate": candidate.full_name})
    return items


async def list_applications_fixed(session: AsyncSession, job_id: int):
    stmt = select(Application)
    stmt = stmt.options(selectinload(Application.candidate))
    applications = (await session.execute(stmt)).scalars().all()
    return [{"id": a.id, "candidate": a.candidate.full_name} for a in applications]  # ok: PA107 (selectinload)


async def list_applications_batched(session: AsyncSession, job_id: int):
    applications = (await session.execute(select(Application))).scalars().all()
    ids = {a.candidate_id for a in applications}  # ok: PA107 (foreign-key column)
    users = {u.id: u for u in (await session.scalars(select(User).where(User.id.in_(ids))))}  # ok: PA107
    return [(a.id, users[a.candidate_id].full_name) for a in applications]
