import asyncpg


async def listen_progress(dsn: str, queue) -> None:
    conn = await asyncpg.connect(dsn)

    def on_progress(connection, pid, channel, payload):
        queue.put_nowait(payload)

    await conn.add_listener("job_progress", on_progress)
