import asyncpg
import psycopg


def expire_tokens(conn: psycopg.Connection, token_ids: list[int]) -> None:
    with conn.cursor() as cur:
        for tid in token_ids:
            cur.execute("UPDATE tokens SET expired = true WHERE id = %s", (tid,))  # expect: PA102
        cur.execute("UPDATE tokens SET expired = true WHERE id = ANY(%s)", (token_ids,))  # ok: PA102
    conn.commit()


async def drop_sessions(pool: asyncpg.Pool, user_ids: list[int]) -> None:
    async with pool.acquire() as conn:
        for uid in user_ids:
            await conn.execute("DELETE FROM login_sessions WHERE user_id = $1", uid)  # expect: PA102
        await conn.executemany("DELETE FROM login_sessions WHERE user_id = $1", [(u,) for u in user_ids])  # ok: PA102
