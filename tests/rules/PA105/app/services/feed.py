from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order


async def import_feed(session: AsyncSession, feed: dict, company_id: int) -> None:
    for item in feed["jobs"]:
        session.add(Order(ref=item["title"]))  # expect: PA105
    await session.commit()


async def import_feed_bulk(session: AsyncSession, feed: dict) -> None:
    session.add_all([Order(ref=item["title"]) for item in feed["jobs"]])  # ok: PA105
    await session.execute(insert(Order), [{"ref": item["title"]} for item in feed["jobs"]])  # ok: PA105
    await session.commit()
