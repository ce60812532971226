from django.db import transaction

from shop.models import Invoice, InvoiceLine


def create_invoice(number: str, amounts: list) -> Invoice:
    invoice = Invoice.objects.create(number=number)  # expect: PA203
    for amount in amounts:
        InvoiceLine.objects.create(invoice=invoice, amount=amount)
    return invoice


def create_invoice_atomic(number: str, amounts: list) -> Invoice:
    with transaction.atomic():
        invoice = Invoice.objects.create(number=number)  # ok: PA203 (one atomic block)
        for amount in amounts:
            InvoiceLine.objects.create(invoice=invoice, amount=amount)
    return invoice


@transaction.atomic
def create_invoice_decorated(number: str, amounts: list) -> Invoice:
    invoice = Invoice.objects.create(number=number)  # ok: PA203 (@atomic)
    InvoiceLine.objects.bulk_create([InvoiceLine(invoice=invoice, amount=a) for a in amounts])
    return invoice


def _create_lines(number: str, amounts: list) -> Invoice:
    invoice = Invoice.objects.create(number=number)  # ok: PA203 (every caller wraps it in atomic())
    for amount in amounts:
        InvoiceLine.objects.create(invoice=invoice, amount=amount)
    return invoice


def create_invoice_via_helper(number: str, amounts: list) -> Invoice:
    with transaction.atomic():
        return _create_lines(number, amounts)
