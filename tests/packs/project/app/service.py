import requests


async def fetch_profile(user_id):
    r = requests.get(f"https://profiles.internal/{user_id}")  # expect: ORG001
    return r.json()


def sync_fetch(user_id):
    return requests.get(f"https://profiles.internal/{user_id}")  # ok: ORG001 (not async)


async def suppressed(user_id):
    return requests.post("https://x.internal", json={})  # pa-audit: ignore[ORG001] -- test


def save_all(session, items):
    for item in items:
        session.add(item)
        session.commit()  # expect: ORG002


def save_once(session, items):
    session.add_all(items)
    session.commit()  # ok: ORG002


def report(session):
    with session.begin():
        print("in transaction")  # expect: ORG003
    print("after")  # ok: ORG003


def orders_per_user(session, users, Order):
    out = []
    for u in users:
        out.append(session.query(Order).filter(Order.user_id == u.id).all())
    return out
