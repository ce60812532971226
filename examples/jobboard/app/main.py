"""FastAPI application factory and lifespan."""
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from app import realtime
from app.api import applications, auth, companies, health, jobs, reports, tags
from app.config import settings
from app.db import engine

log = logging.getLogger(__name__)

VERSION_FILE = Path(__file__).with_name("VERSION")


@asynccontextmanager
async def lifespan(app: FastAPI):
    with open(VERSION_FILE) as fh:
        app.state.version = fh.read().strip()
    await realtime.hub.start(settings.listen_dsn)
    log.info("jobboard %s started", app.state.version)
    yield
    await realtime.hub.stop()
    await engine.dispose()


app = FastAPI(title="Jobboard", lifespan=lifespan)
for module in (auth, jobs, companies, applications, reports, tags, health, realtime):
    app.include_router(module.router)
