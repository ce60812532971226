import asyncio

from fastapi import APIRouter

from svc.clients.billing import BillingClient
from svc.storage.files import load_settings, settings_path

router = APIRouter()
billing = BillingClient("https://billing.internal")


@router.get("/settings/{name}")
async def get_settings(name: str):
    return load_settings(settings_path(name))  # expect: PA301


@router.post("/charge")
async def charge(account: str, cents: int):
    billing.charge(account, cents)  # expect: PA301
    return {"url": billing.url_for("/x")}  # ok: PA301


@router.get("/settings/{name}/threaded")
async def get_settings_threaded(name: str):
    return await asyncio.to_thread(load_settings, settings_path(name))  # ok: PA301
