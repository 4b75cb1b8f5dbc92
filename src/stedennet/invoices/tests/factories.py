"""Factories for invoice tests: billing details, invoices with their lines, payments, reminders.

An invoice made here is a stored record as ``invoices_issue`` leaves one (numbered, seller and
buyer frozen); tests of issuing itself go through the service."""

import datetime
from decimal import Decimal

import factory

from stedennet.invoices.models import (
    BillingProfile,
    BuyerDetails,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    Payment,
    Reminder,
    ReminderChannel,
    VatTreatment,
)
from stedennet.registry.tests.factories import MunicipalityFactory, NetworkFactory


class BillingProfileFactory(factory.django.DjangoModelFactory):
    """The seller: the network's own billing details (placeholders, flagged demo)."""

    class Meta:
        model = BillingProfile
        django_get_or_create = ("network",)

    network = factory.SubFactory(NetworkFactory)
    legal_name = "Stedennetwerk (testgegevens)"
    street = "Voorbeeldstraat 1"
    postal_code = "1234 AB"
    city = "Voorbeeldstad"
    kvk = "99999999"
    iban = "NL91ABNA0417164300"
    email = "facturen@example.org"
    identifiers_are_demo = True


class BuyerDetailsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuyerDetails
        django_get_or_create = ("municipality",)

    municipality = factory.SubFactory(MunicipalityFactory)
    oin = factory.LazyAttribute(lambda o: f"99990000{o.municipality.cbs_code[2:]:0>8}0000")
    street = "Postbus 1"
    postal_code = "9999 ZZ"
    city = factory.LazyAttribute(lambda o: o.municipality.name)
    email = factory.LazyAttribute(lambda o: f"crediteuren.{o.municipality.slug}@example.org")
    identifiers_are_demo = True


class InvoiceFactory(factory.django.DjangoModelFactory):
    """An issued invoice of 100.00 for a whole year, outside the scope of VAT, with one line."""

    class Meta:
        model = Invoice
        skip_postgeneration_save = True  # an issued invoice is never saved again

    network = factory.SubFactory(NetworkFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    year = 2024
    sequence = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: f"{o.year}-{o.sequence:04d}")
    kind = InvoiceKind.INVOICE
    issue_date = factory.LazyAttribute(lambda o: datetime.date(o.year, 2, 1))
    due_date = factory.LazyAttribute(lambda o: o.issue_date + datetime.timedelta(days=30))
    period_start = factory.LazyAttribute(lambda o: datetime.date(o.year, 1, 1))
    period_end = factory.LazyAttribute(lambda o: datetime.date(o.year, 12, 31))
    description = factory.LazyAttribute(lambda o: f"Contributie {o.year}")
    seller = factory.LazyAttribute(lambda o: {"legal_name": "Stedennetwerk (testgegevens)"})
    buyer = factory.LazyAttribute(lambda o: {"legal_name": o.municipality.name})
    net_amount = Decimal("100.00")
    vat_treatment = VatTreatment.OUTSIDE_SCOPE
    vat_rate = Decimal("0.00")
    vat_amount = Decimal("0.00")
    total_amount = factory.LazyAttribute(lambda o: o.net_amount + o.vat_amount)
    ubl_xml = "<Invoice/>"
    line = factory.RelatedFactory(
        "stedennet.invoices.tests.factories.InvoiceLineFactory", factory_related_name="invoice",
        amount=factory.SelfAttribute("..net_amount"),
    )


class InvoiceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvoiceLine

    invoice = factory.SubFactory(InvoiceFactory, line=None)
    position = 1
    description = factory.LazyAttribute(lambda o: o.invoice.description)
    inhabitants = 50_000
    population_source = "cbs_final"
    population_date = factory.LazyAttribute(lambda o: o.invoice.period_start)
    rate = Decimal("0.0020")
    months = 12
    amount = Decimal("100.00")


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    invoice = factory.SubFactory(InvoiceFactory)
    date = factory.LazyAttribute(lambda o: o.invoice.issue_date + datetime.timedelta(days=14))
    amount = factory.LazyAttribute(lambda o: o.invoice.total_amount)


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reminder

    invoice = factory.SubFactory(InvoiceFactory)
    date = factory.LazyAttribute(lambda o: o.invoice.due_date + datetime.timedelta(days=7))
    level = 1
    channel = ReminderChannel.LETTER
    sent_to = "Postbus 1"
    outstanding = factory.LazyAttribute(lambda o: o.invoice.total_amount)
