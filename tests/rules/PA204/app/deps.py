import psycopg

from app.db import SessionLocal

conn = psycopg.connect("dbname=app")


def get_db():
    db = SessionLocal()
    try:
        yield db
        db.commit()  # ok: PA204 (the dependency rolls back on failure)
    except Exception:
        db.rollback()
        raise
    finally:
        db.close()


def bump_counter(name: str) -> None:
    with conn.cursor() as cur:
        cur.execute("UPDATE counters SET value = value + 1 WHERE name = %s", (name,))
    conn.commit()  # expect: PA204


def bump_counter_safely(name: str) -> None:
    try:
        with conn.cursor() as cur:
            cur.execute("UPDATE counters SET value = value + 1 WHERE name = %s", (name,))
        conn.commit()  # ok: PA204 (rolled back on failure)
    except psycopg.Error:
        conn.rollback()
        raise


def bump_counter_scoped(name: str) -> None:
    with psycopg.connect("dbname=app") as c:
        c.execute("UPDATE counters SET value = value + 1 WHERE name = %s", (name,))
        c.commit()  # ok: PA204 (the connection context manager rolls back on error)
