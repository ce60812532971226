import sqlite3

import asyncpg
import psycopg


def user_emails(conn: psycopg.Connection, user_ids: list[int]) -> list[str]:
    emails = []
    with conn.cursor() as cur:
        for uid in user_ids:
            cur.execute("SELECT email FROM users WHERE id = %s", (uid,))  # expect: PA107
            emails.append(cur.fetchone()[0])
    return emails


def user_emails_batched(conn: psycopg.Connection, user_ids: list[int]) -> list[str]:
    with conn.cursor() as cur:
        cur.execute("SELECT email FROM users WHERE id = ANY(%s)", (user_ids,))  # ok: PA107
        return [r[0] for r in cur.fetchall()]  # ok: PA107 (fetching rows is not a query)


async def balances(pool: asyncpg.Pool, account_ids: list[int]) -> list[int]:
    out = []
    async with pool.acquire() as conn:
        for aid in account_ids:
            out.append(await conn.fetchval("SELECT balance FROM accounts WHERE id = $1", aid))  # expect: PA107
    return out


def sqlite_counts(db_path: str, tables: list[str]) -> dict:
    conn = sqlite3.connect(db_path)
    counts = {}
    for name in tables:
        counts[name] = conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]  # expect: PA107
    return counts
