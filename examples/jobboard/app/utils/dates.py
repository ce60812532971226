"""Time helpers: the database stores timestamptz, so everything is UTC-aware."""
from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso_week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"
