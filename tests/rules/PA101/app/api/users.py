from fastapi import APIRouter
from sqlalchemy import select

from app.db import SessionLocal
from app.models import Invoice, User
from app.repositories.users import UserRepository
from app.services.billing import charge_by_email, charge_user, invoice_for, monthly_report

router = APIRouter()


@router.post("/users/{user_id}/charge")
def charge(user_id: int, amount: int):
    with SessionLocal() as session:
        user = session.get(User, user_id)
        invoice = charge_user(session, user.id, amount)
        summary = charge_by_email(session, user_id=user.id)
        session.commit()
        return {"invoice": invoice.id, "summary": summary}


@router.get("/users/{user_id}/report")
def report(user_id: int):
    with SessionLocal() as session:
        repo = UserRepository(session)
        user = repo.get_by_id(user_id)
        return {"report": monthly_report(session, user.id)}


@router.get("/invoices/{invoice_id}")
def show_invoice(invoice_id: int):
    with SessionLocal() as session:
        inv = invoice_for(session, invoice_id)
        return {"amount": inv.amount if inv else None}
