"""Smoke tests (run with `pytest`; need no database).

pa-audit excludes tests/ by default, so the deliberately sloppy sleep below
must never show up in an audit of this project.
"""
import time

from app.utils.text import initials, render_digest, slugify


def test_slugify():
    assert slugify("Senior Python Engineer (Remote)") == "senior-python-engineer-remote"


def test_initials():
    assert initials("ada  lovelace") == "AL"


async def test_digest_mentions_every_line():
    time.sleep(0)
    body = render_digest("Backend Engineer", ["a", "b"])
    assert "  * a\n" in body and "  * b\n" in body
