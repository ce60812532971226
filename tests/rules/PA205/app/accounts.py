import asyncio
import subprocess
import time

import requests
from sqlalchemy.orm import Session

from app.db import AsyncSessionLocal, SessionLocal
from app.models import Account
from app.util import backoff


def lock_and_wait(account_id: int) -> None:
    with SessionLocal.begin() as session:
        account = session.get(Account, account_id, with_for_update=True)
        account.state = "locked"
        time.sleep(2)  # expect: PA205
        account.state = "open"


def retry_inside(session: Session, account_id: int) -> None:
    account = session.get(Account, account_id)
    account.balance += 1
    backoff(1)  # expect: PA205
    session.commit()


def retry_outside(session: Session, account_id: int) -> None:
    backoff(1)  # ok: PA205 (no transaction open yet)
    account = session.get(Account, account_id)
    account.balance += 1
    session.commit()
    time.sleep(1)  # ok: PA205 (after the commit)


def notify_inside(session: Session, account_id: int) -> None:
    account = session.get(Account, account_id)
    account.state = "notified"
    requests.post("https://hooks.example.com/accounts", json={"id": account_id})  # ok: PA205 (PA202 reports network calls)
    session.commit()


def archive_inside(account_id: int) -> None:
    with SessionLocal.begin() as session:
        account = session.get(Account, account_id)
        account.state = "archiving"
        subprocess.run(["tar", "czf", f"/tmp/{account_id}.tgz", f"/data/{account_id}"], check=True)  # expect: PA205


async def poll_inside(account_id: int) -> None:
    async with AsyncSessionLocal() as session:
        async with session.begin():
            account = await session.get(Account, account_id)
            while account.state != "ready":
                await asyncio.sleep(1)  # expect: PA205
                await session.refresh(account)
            account.state = "done"


async def poll_outside(account_id: int) -> None:
    async with AsyncSessionLocal() as session:
        while True:
            await asyncio.sleep(1)  # ok: PA205 (no transaction is held while waiting)
            async with session.begin():
                account = await session.get(Account, account_id)
                if account.state == "ready":
                    account.state = "done"
                    break
