from typing import Optional

from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession


class Project(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str
    owner: str


async def archive_project(session: AsyncSession, project_id: int) -> None:
    project = await session.get(Project, project_id)  # expect: PA101
    project.name = project.name + " (archived)"
    session.add(project)


async def close_project(session: AsyncSession, project_id: int) -> None:
    project = (await session.exec(select(Project).where(Project.id == project_id))).one()
    await archive_project(session, project.id)
    await archive_project(session, project_id=project.id)


async def rename(session: AsyncSession, project: Project) -> None:
    project.name = project.name.strip()  # ok: PA101 (receives the object)
