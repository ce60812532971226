import requests
from django.db import transaction
from django.http import JsonResponse

from billing.models import Invoice


def send_invoice(invoice_id):
    requests.post("https://mail.example.com/send", json={"invoice": invoice_id})


def close_invoice(request, invoice_id):
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
        invoice.status = "closed"
        invoice.save()
        send_invoice(invoice_id)  # expect: PA202
    return JsonResponse({"ok": True})


def close_invoice_on_commit(request, invoice_id):
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
        invoice.status = "closed"
        invoice.save()
        transaction.on_commit(lambda: send_invoice(invoice_id))  # ok: PA202 (runs after commit)
    return JsonResponse({"ok": True})


def close_and_mail(request, invoice_id):
    from django.core.mail import EmailMessage, send_mail

    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
        invoice.status = "closed"
        invoice.save()
        message = EmailMessage("closed", "invoice closed", to=["ops@example.com"])  # ok: PA202 (builds a message, no IO)
        send_mail("closed", "invoice closed", "shop@example.com", ["ops@example.com"])  # expect: PA202
    return message
