from typing import Optional

from sqlmodel import Field, Session, SQLModel, select


class Ticket(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    state: str


def close_tickets(session: Session, ticket_ids: list[int]) -> None:
    for tid in ticket_ids:
        ticket = session.get(Ticket, tid)
        session.delete(ticket)  # expect: PA102
    session.commit()


def close_all(session: Session) -> None:
    tickets = session.exec(select(Ticket).where(Ticket.state == "open")).all()
    for t in tickets:
        t.state = "closed"  # ok: PA102 (flushed by the unit of work; no explicit statement per item)
    session.add_all(tickets)  # ok: PA102
    session.commit()
