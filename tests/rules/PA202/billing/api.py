import requests
from django.db import transaction
from django.http import JsonResponse

from billing.models import Invoice


def push_invoice(request, invoice_id):
    invoice = Invoice.objects.get(pk=invoice_id)
    requests.post("https://erp.example.com/invoices", json={"id": invoice.pk})  # expect: PA202
    return JsonResponse({"ok": True})


@transaction.non_atomic_requests
def push_invoice_non_atomic(request, invoice_id):
    invoice = Invoice.objects.get(pk=invoice_id)
    requests.post("https://erp.example.com/invoices", json={"id": invoice.pk})  # ok: PA202 (view opted out of ATOMIC_REQUESTS)
    return JsonResponse({"ok": True})


def ping(request):
    requests.get("https://erp.example.com/health")  # ok: PA202 (the view never touches the database)
    return JsonResponse({"ok": True})
