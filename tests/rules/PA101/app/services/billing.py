from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Invoice, User
from app.repositories.users import UserRepository


def charge_user(session: Session, user_id: int, amount: int) -> Invoice:
    user = session.get(User, user_id)  # expect: PA101
    invoice = Invoice(user_id=user.id, amount=amount)
    if user.plan == "free":
        invoice.amount = 0
    session.add(invoice)
    notify_user(session, user)
    return invoice


def notify_user(session: Session, user: User) -> None:
    print(user.email, user.name)  # ok: PA101 (receives the object, no fetch)


def charge_by_email(session: Session, user_id: int) -> str:
    row = session.execute(select(User).where(User.id == user_id)).scalar_one()  # expect: PA101
    return f"{row.email} {row.plan}"


def monthly_report(session: Session, user_id: int) -> str:
    repo = UserRepository(session)
    profile = repo.get_by_id(user_id)  # expect: PA101
    return f"{profile.name} <{profile.email}>"


def invoice_for(session: Session, invoice_id: int) -> Invoice | None:
    return session.get(Invoice, invoice_id)  # ok: PA101 (callers pass a plain id)
