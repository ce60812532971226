import time

from django.db import transaction
from sqlalchemy.exc import OperationalError

from ledger.models import Entry


@transaction.atomic
def settle(entry_ids: list) -> None:
    for entry_id in entry_ids:
        Entry.objects.filter(pk=entry_id).update(state="settled")
        time.sleep(0.1)  # expect: PA205


def settle_throttled(entry_ids: list) -> None:
    for entry_id in entry_ids:
        with transaction.atomic():
            Entry.objects.filter(pk=entry_id).update(state="settled")
        time.sleep(0.1)  # ok: PA205 (between transactions)


def commit_with_retry(session, entry) -> None:
    session.add(entry)
    for attempt in range(3):
        try:
            session.commit()
            break
        except OperationalError:
            session.rollback()
            time.sleep(2**attempt)  # ok: PA205 (after the rollback, nothing is held)
