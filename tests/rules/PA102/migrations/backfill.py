from sqlalchemy import update


def upgrade(session, Order, ids):
    for oid in ids:
        session.execute(update(Order).where(Order.id == oid).values(status="new"))  # expect: PA102
