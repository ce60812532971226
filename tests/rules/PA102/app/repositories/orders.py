from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.models import Order


class OrderRepository:
    def __init__(self, session: Session):
        self.session = session

    def set_status(self, order_id: int, status: str) -> None:
        self.session.execute(update(Order).where(Order.id == order_id).values(status=status))

    def set_status_many(self, order_ids: list[int], status: str) -> None:
        self.session.execute(update(Order).where(Order.id.in_(order_ids)).values(status=status))

    def remove(self, order_id: int) -> None:
        self.session.execute(delete(Order).where(Order.id == order_id))

    def find(self, order_id: int) -> Order | None:
        return self.session.get(Order, order_id)
