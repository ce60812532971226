"""Admin commands: `python -m app.cli seed-tags tags.json`."""
import asyncio
import json
import sys
from pathlib import Path

from app.db import SessionLocal, engine
from app.services.importer import import_tags


async def seed_tags(rows: list[dict]) -> int:
    async with SessionLocal() as session:
        created = await import_tags(session, rows)
    await engine.dispose()
    return created


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] != "seed-tags":
        print("usage: python -m app.cli seed-tags FILE", file=sys.stderr)
        return 2
    rows = json.loads(Path(argv[2]).read_text())
    created = asyncio.run(seed_tags(rows))
    print(f"created {created} tags")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
