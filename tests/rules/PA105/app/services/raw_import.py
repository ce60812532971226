import sqlite3

import asyncpg


def import_rows(db: sqlite3.Connection, rows: list[tuple]) -> None:
    cur = db.cursor()
    for row in rows:
        cur.execute("INSERT INTO measurements (ts, value) VALUES (?, ?)", row)  # expect: PA105
    cur.executemany("INSERT INTO measurements (ts, value) VALUES (?, ?)", rows)  # ok: PA105
    db.commit()


async def import_async(conn: asyncpg.Connection, rows: list[tuple]) -> None:
    for ts, value in rows:
        await conn.execute("INSERT INTO measurements (ts, value) VALUES ($1, $2)", ts, value)  # expect: PA105
    await conn.copy_records_to_table("measurements", records=rows)  # ok: PA105
