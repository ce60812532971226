from fastapi import APIRouter, Depends
from sqlalchemy import func, select
from sqlalchemy.orm import Session, load_only

from app.db import get_session
from app.models import Country, Product

router = APIRouter()


@router.get("/products")
def list_products(session: Session = Depends(get_session)):
    products = session.scalars(select(Product).where(Product.active)).all()  # expect: PA104
    return [{"id": p.id, "name": p.name, "price": p.price} for p in products]


@router.get("/products/narrow")
def list_products_narrow(session: Session = Depends(get_session)):
    rows = session.execute(select(Product.id, Product.name, Product.price)).all()  # ok: PA104 (column select)
    return [{"id": r.id, "name": r.name, "price": r.price} for r in rows]


@router.get("/products/load-only")
def list_products_load_only(session: Session = Depends(get_session)):
    stmt = select(Product).options(load_only(Product.id, Product.name))
    products = session.scalars(stmt).all()  # ok: PA104 (load_only)
    return [{"id": p.id, "name": p.name} for p in products]


@router.get("/products/full")
def list_products_full(session: Session = Depends(get_session)):
    products = session.scalars(select(Product)).all()  # ok: PA104 (every item is serialised whole)
    return [serialize(p) for p in products]


def serialize(p):
    return {"id": p.id}


@router.get("/countries")
def list_countries(session: Session = Depends(get_session)):
    countries = session.scalars(select(Country)).all()  # ok: PA104 (narrow model)
    return [{"code": c.code} for c in countries]


@router.get("/products/count")
def count_products(session: Session = Depends(get_session)):
    n = len(session.scalars(select(Product)).all())  # expect: PA104
    m = session.scalar(select(func.count()).select_from(Product))  # ok: PA104
    return {"n": n, "m": m}


@router.get("/products/legacy-count")
def count_legacy(session: Session = Depends(get_session)):
    return {"n": len(session.query(Product).filter(Product.active).all())}  # expect: PA104


@router.get("/products/first")
def first_product(session: Session = Depends(get_session)):
    first = session.query(Product).order_by(Product.id).all()[0]  # expect: PA104
    return {"id": first.id}
