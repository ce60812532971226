"""Tag catalogue API."""
from fastapi import APIRouter, Depends

from app.api.deps import TagCatalog

router = APIRouter(prefix="/tags", tags=["tags"])


@router.get("")
async def list_tags(catalog: TagCatalog = Depends(TagCatalog)) -> list[dict]:
    tags = await catalog.by_slug()
    return [{"slug": tag.slug, "name": tag.name, "category": tag.category} for tag in tags.values()]
