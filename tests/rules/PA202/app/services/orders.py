import httpx
import requests
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.db import AsyncSessionLocal, SessionLocal, engine
from app.models import Order
from app.services.payments import charge, format_receipt


def pay_in_block(order_id: int, amount: int) -> None:
    with SessionLocal.begin() as session:
        order = session.get(Order, order_id)
        result = charge(order_id, amount)  # expect: PA202
        order.receipt = format_receipt(result)  # ok: PA202 (no IO down this chain)


def pay_autobegin(session: Session, order_id: int, amount: int) -> None:
    order = session.get(Order, order_id)
    resp = requests.post("https://payments.example.com/charge", json={"amount": amount})  # expect: PA202
    order.status = "paid"
    order.receipt = resp.text
    session.commit()


def pay_outside(session: Session, order_id: int, amount: int) -> None:
    resp = requests.post("https://payments.example.com/charge", json={"amount": amount})  # ok: PA202 (before the transaction)
    order = session.get(Order, order_id)
    order.status = "paid"
    order.receipt = resp.text
    session.commit()
    requests.post("https://hooks.example.com/paid", json={"order": order_id})  # ok: PA202 (after the commit)


def export_in_transaction(order_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(update(Order).where(Order.id == order_id).values(status="exported"))
        with open(f"/tmp/order-{order_id}.txt", "w") as fh:  # expect: PA202
            fh.write("exported")  # ok: PA202 (same file block, reported at open())


def read_only(session: Session, order_id: int) -> str:
    order = session.get(Order, order_id)
    resp = requests.get("https://crm.example.com/customer", params={"order": order_id})  # ok: PA202 (read-only, nothing committed)
    return order.status + resp.text


async def pay_async(order_id: int, amount: int) -> None:
    async with AsyncSessionLocal() as session:
        async with session.begin():
            order = await session.get(Order, order_id)
            async with httpx.AsyncClient() as client:
                resp = await client.post("https://payments.example.com/charge", json={"amount": amount})  # expect: PA202
            order.receipt = resp.text


async def pay_async_after(order_id: int, amount: int) -> None:
    async with AsyncSessionLocal() as session:
        async with session.begin():
            order = await session.get(Order, order_id)
            order.status = "charging"
        async with httpx.AsyncClient() as client:
            await client.post("https://payments.example.com/charge", json={"amount": amount})  # ok: PA202 (block closed)
