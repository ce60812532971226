"""Small text helpers: slugs, initials, plain-text digests."""
import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(value: str) -> str:
    normalized = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return _NON_WORD.sub("-", normalized.lower()).strip("-")


def initials(full_name: str) -> str:
    return "".join([part[0].upper() for part in full_name.split() if part])


def truncate(value: str, limit: int = 140) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def render_digest(title: str, lines: list[str]) -> str:
    """Plain-text body of the daily application digest mail."""
    body = f"New applications for {title}\n\n"
    for line in lines:
        body += f"  * {line}\n"
    body += "\nReply STOP to unsubscribe from this digest.\n"
    return body
