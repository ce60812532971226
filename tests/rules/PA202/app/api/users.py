import smtplib

from fastapi import APIRouter, BackgroundTasks, Depends
from sqlalchemy.orm import Session

from app.db import get_db
from app.models import Order

router = APIRouter()


def send_confirmation(order_id: int) -> None:
    with smtplib.SMTP("mail.example.com") as smtp:
        smtp.sendmail("shop@example.com", ["ops@example.com"], f"order {order_id}")


@router.post("/orders/{order_id}/confirm")
def confirm(order_id: int, tasks: BackgroundTasks, db: Session = Depends(get_db)):
    order = db.get(Order, order_id)
    order.status = "confirmed"
    tasks.add_task(send_confirmation, order_id)  # ok: PA202 (runs after the response)
    return {"ok": True}


@router.post("/orders/{order_id}/confirm-now")
def confirm_now(order_id: int, db: Session = Depends(get_db)):
    order = db.get(Order, order_id)
    order.status = "confirmed"
    send_confirmation(order_id)  # expect: PA202
    return {"ok": True}
