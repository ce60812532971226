import psycopg2

from app.db import SessionLocal
from app.models import Event


class Recorder:
    def __init__(self, dsn: str) -> None:
        self.session = SessionLocal()
        self.conn = psycopg2.connect(dsn)

    def save(self, kind: str) -> None:
        self.session.add(Event(kind=kind))
        self.session.commit()  # expect: PA204

    def save_raw(self, kind: str) -> None:
        cur = self.conn.cursor()
        cur.execute("INSERT INTO events (kind) VALUES (%s)", (kind,))
        self.conn.commit()  # expect: PA204

    def save_raw_safely(self, kind: str) -> None:
        with self.conn:
            with self.conn.cursor() as cur:
                cur.execute("INSERT INTO events (kind) VALUES (%s)", (kind,))
            self.conn.commit()  # ok: PA204 (with conn: rolls back on error)


class Injected:
    def __init__(self, session) -> None:
        self.session = session

    def save(self, kind: str) -> None:
        self.session.add(Event(kind=kind))
        self.session.commit()  # ok: PA204 (session owned by the caller)
