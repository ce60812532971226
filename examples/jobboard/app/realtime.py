"""Live screening progress for recruiter dashboards (Server-Sent Events).

One asyncpg connection per API process LISTENs on the `job_progress` channel
(fed by the jobs_progress_notify trigger, migration 0002) and fans each
notification out to the queues of the clients watching that job.
"""
import asyncio
import json
import logging
from collections import defaultdict

import asyncpg
from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

log = logging.getLogger(__name__)
router = APIRouter(tags=["realtime"])

KEEPALIVE_SECONDS = 15
CONNECT_ATTEMPTS = 5


class ProgressHub:
    def __init__(self) -> None:
        self._conn: asyncpg.Connection | None = None
        self._subscribers: dict[int, set[asyncio.Queue]] = defaultdict(set)

    async def start(self, dsn: str) -> None:
        # the API may come up before the database accepts connections
        for attempt in range(CONNECT_ATTEMPTS):
            try:
                self._conn = await asyncpg.connect(dsn)
                break
            except (OSError, asyncpg.CannotConnectNowError):
                if attempt == CONNECT_ATTEMPTS - 1:
                    raise
                await asyncio.sleep(2**attempt)
        await self._conn.add_listener("job_progress", self._on_notify)
        log.info("listening on job_progress")

    async def stop(self) -> None:
        if self._conn is not None:
            await self._conn.remove_listener("job_progress", self._on_notify)
            await self._conn.close()
            self._conn = None

    def _on_notify(self, connection, pid: int, channel: str, payload: str) -> None:
        event = json.loads(payload)
        for queue in self._subscribers.get(event["job_id"], ()):
            queue.put_nowait(event)

    def subscribe(self, job_id: int) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue(maxsize=100)
        self._subscribers[job_id].add(queue)
        return queue

    def unsubscribe(self, job_id: int, queue: asyncio.Queue) -> None:
        self._subscribers[job_id].discard(queue)
        if not self._subscribers[job_id]:
            del self._subscribers[job_id]


hub = ProgressHub()


@router.get("/jobs/{job_id}/progress/stream")
async def progress_stream(job_id: int, request: Request) -> StreamingResponse:
    queue = hub.subscribe(job_id)

    async def events():
        try:
            while not await request.is_disconnected():
                try:
                    event = await asyncio.wait_for(queue.get(), timeout=KEEPALIVE_SECONDS)
                except asyncio.TimeoutError:
                    yield ": keepalive\n\n"
                    continue
                yield f"event: progress\ndata: {json.dumps(event)}\n\n"
                if event.get("status") in ("screened", "failed"):
                    break
        finally:
            hub.unsubscribe(job_id, queue)

    return StreamingResponse(events(), media_type="text/event-stream")
