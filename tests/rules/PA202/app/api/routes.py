import requests
from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.db import get_db
from app.models import Order

router = APIRouter()


@router.post("/orders/{order_id}/ship")
def ship(order_id: int, db: Session = Depends(get_db)):
    order = db.get(Order, order_id)
    order.status = "shipped"
    requests.post("https://carrier.example.com/labels", json={"order": order_id})  # expect: PA202
    return {"ok": True}
