import logging

from sqlalchemy.orm import Session

from app.db import SessionLocal, registry, session
from app.models import Event

log = logging.getLogger(__name__)


def record(kind: str) -> None:
    session.add(Event(kind=kind))
    session.commit()  # expect: PA204


def record_safely(kind: str) -> None:
    try:
        session.add(Event(kind=kind))
        session.commit()  # ok: PA204 (rolls back on failure)
    except Exception:
        session.rollback()
        raise


def record_scoped(kind: str) -> None:
    with SessionLocal() as s:
        s.add(Event(kind=kind))
        s.commit()  # ok: PA204 (scoped session rolls back on close)


def record_in_block(kind: str) -> None:
    with SessionLocal.begin() as s:
        s.add(Event(kind=kind))


def record_with(db: Session, kind: str) -> None:
    db.add(Event(kind=kind))
    db.commit()  # ok: PA204 (session handed in: the caller's dependency owns rollback)


def record_registry(kind: str) -> None:
    registry.add(Event(kind=kind))
    registry.commit()  # ok: PA204 (scoped_session registry, removed per request)


def import_events(db: Session, kinds: list) -> None:
    for kind in kinds:
        try:
            db.add(Event(kind=kind))
            db.commit()  # expect: PA204
        except Exception:
            log.exception("skipping %s", kind)
            continue


def import_events_rollback(db: Session, kinds: list) -> None:
    for kind in kinds:
        try:
            db.add(Event(kind=kind))
            db.commit()  # ok: PA204 (rollback before continuing)
        except Exception:
            db.rollback()
            log.exception("skipping %s", kind)


def import_fresh_sessions(kinds: list) -> None:
    for kind in kinds:
        try:
            with SessionLocal() as s:
                s.add(Event(kind=kind))
                s.commit()  # ok: PA204 (a new session per item)
        except Exception:
            log.exception("skipping %s", kind)


def import_and_report(db: Session, kind: str) -> int:
    try:
        db.add(Event(kind=kind))
        db.commit()  # expect: PA204
    except Exception:
        log.warning("duplicate %s", kind)
    return db.query(Event).count()


def import_reraise(db: Session, kind: str) -> None:
    try:
        db.add(Event(kind=kind))
        db.commit()  # ok: PA204 (re-raised: the owner rolls back)
    except Exception as exc:
        raise RuntimeError("cannot record") from exc
