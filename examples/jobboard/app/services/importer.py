"""Bulk import of job postings from partner feeds (JSON, optionally gzipped)."""
import gzip
import json
import logging

from fastapi import UploadFile
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Job, Tag
from app.utils.text import slugify

log = logging.getLogger(__name__)

IMPORT_DEFAULTS = {"employment_type": "full_time", "remote": False, "currency": "EUR"}


class FeedError(ValueError):
    pass


async def import_feed(session: AsyncSession, company_id: int, posted_by_id: int, upload: UploadFile) -> int:
    """Create draft postings for every job in the feed; returns how many."""
    raw = await upload.read()
    if upload.filename and upload.filename.endswith(".gz"):
        raw = gzip.decompress(raw)
    try:
        feed = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise FeedError(f"feed is not valid JSON: {exc}") from exc

    seen: set[str] = set()
    created = 0
    for item in feed.get("jobs", []):
        slug = slugify(item["title"])
        if slug in seen:
            continue
        seen.add(slug)
        fields = dict(IMPORT_DEFAULTS)
        fields.update(item.get("overrides", {}))
        session.add(
            Job(
                company_id=company_id,
                posted_by_id=posted_by_id,
                title=item["title"],
                slug=slug,
                description=item.get("description", ""),
                location=item.get("location"),
                salary_min=item.get("salary_min"),
                salary_max=item.get("salary_max"),
                status="draft",
                **fields,
            )
        )
        created += 1
    await session.commit()
    log.info("imported %d jobs for company %s", created, company_id)
    return created


async def import_tags(session: AsyncSession, rows: list[dict]) -> int:
    """Seed or extend the tag catalogue (admin only)."""
    tags = [Tag(slug=slugify(row["name"]), name=row["name"], category=row["category"]) for row in rows]
    async with session.begin():
        session.add_all(tags)
    return len(tags)
