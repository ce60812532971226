from django.http import JsonResponse

from .models import Account
from .services import balance_only, statement


def account_view(request, account_id):
    account = Account.objects.get(pk=account_id)
    return JsonResponse({"statement": statement(account.pk), "balance": balance_only(account_id)})
