from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from app.models import Order


class OrderRepository:
    def __init__(self, session: Session):
        self.session = session

    def get_by_id(self, order_id: int) -> Order | None:
        return self.session.get(Order, order_id)

    def list_open(self) -> list[Order]:
        return list(self.session.scalars(select(Order).where(Order.status == "open")))

    def list_with_customers(self) -> list[Order]:
        stmt = select(Order).options(selectinload(Order.customer), selectinload(Order.items))
        return list(self.session.scalars(stmt))

    def get_many(self, ids: list[int]) -> list[Order]:
        return list(self.session.scalars(select(Order).where(Order.id.in_(ids))))


def load_order(session: Session, order_id: int) -> Order | None:
    return session.get(Order, order_id)
