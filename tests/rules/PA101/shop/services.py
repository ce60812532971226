from .models import Account


def statement(account_id):
    acct = Account.objects.get(pk=account_id)  # expect: PA101
    return f"{acct.owner}: {acct.balance} {acct.currency}"


def balance_only(account_id):
    acct = Account.objects.get(pk=account_id)  # ok: PA101 (callers pass a plain id)
    return acct.balance, acct.currency
