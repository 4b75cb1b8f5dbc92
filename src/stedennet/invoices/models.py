"""Invoices for contributions: gapless numbers per year, never changed once issued (a
correction is a credit note), with the seller's and buyer's details frozen at issue, the UBL
e-invoice stored as issued, payments and reminders as their own dated records."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stedennet.registry.models import Municipality, Network

oin_validator = RegexValidator(r"^\d{20}$", _("An OIN is 20 digits."))
kvk_validator = RegexValidator(r"^\d{8}$", _("A KvK number is 8 digits."))
iban_validator = RegexValidator(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$", _("An IBAN: country code, check digits, account."))


class VatTreatment(models.TextChoices):
    OUTSIDE_SCOPE = "outside_scope", _("Not subject to VAT (contribution outside the scope of VAT)")
    EXEMPT = "exempt", _("Exempt from VAT")
    STANDARD = "standard", _("VAT at the standard rate")


class UblProfile(models.TextChoices):
    NLCIUS = "nlcius", _("SI-UBL 2.0 (NLCIUS)")
    PEPPOL = "peppol", _("Peppol BIS Billing 3.0")


class BillingProfile(models.Model):
    """The network as seller: the details every invoice carries, and the VAT treatment."""

    wagtail_reference_index_ignore = True
    network = models.OneToOneField(
        Network, on_delete=models.CASCADE, related_name="billing_profile", verbose_name=_("network")
    )
    legal_name = models.CharField(_("legal name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    country_code = models.CharField(_("country code"), max_length=2, default="NL")
    kvk = models.CharField(_("KvK number"), max_length=8, blank=True, validators=[kvk_validator])
    oin = models.CharField(_("OIN"), max_length=20, blank=True, validators=[oin_validator])
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, validators=[iban_validator])
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    email = models.EmailField(_("e-mail for invoices"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    vat_treatment = models.CharField(
        _("VAT treatment"), max_length=20, choices=VatTreatment.choices, default=VatTreatment.OUTSIDE_SCOPE
    )
    vat_rate = models.DecimalField(
        _("VAT rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("21.00"),
        help_text=_("Used only with VAT at the standard rate."),
    )
    vat_exemption_reason = models.CharField(
        _("VAT exemption reason"),
        max_length=300,
        blank=True,
        default="Contributie van leden, buiten de reikwijdte van de btw",
    )
    payment_term_days = models.PositiveSmallIntegerField(_("payment term in days"), default=30)
    ubl_profile = models.CharField(
        _("e-invoice profile"), max_length=10, choices=UblProfile.choices, default=UblProfile.NLCIUS
    )
    identifiers_are_demo = models.BooleanField(
        _("demo identifiers"),
        default=False,
        help_text=_("KvK, OIN, IBAN and address are placeholders for demonstration, not real."),
    )

    class Meta:
        verbose_name = _("billing profile")
        verbose_name_plural = _("billing profiles")

    def __str__(self) -> str:
        return self.legal_name

    def clean(self) -> None:
        if not (self.kvk or self.oin):
            raise ValidationError(_("The network needs a KvK number or an OIN as seller (SI-UBL rule BR-NL-1)."))
        if self.vat_treatment in (VatTreatment.STANDARD, VatTreatment.EXEMPT) and not self.vat_number:
            raise ValidationError({"vat_number": _("With this VAT treatment the invoice must carry the network's "
                                                   "VAT number (EN 16931 rules BR-S-02, BR-E-02).")})


class BuyerDetails(models.Model):
    """How a member municipality is invoiced. The bureau fills these in."""

    wagtail_reference_index_ignore = True
    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="buyer_details", verbose_name=_("municipality")
    )
    legal_name = models.CharField(
        _("legal name"), max_length=200, blank=True, help_text=_("Empty: 'Gemeente' and the municipality's name.")
    )
    oin = models.CharField(_("OIN"), max_length=20, blank=True, validators=[oin_validator])
    kvk = models.CharField(_("KvK number"), max_length=8, blank=True, validators=[kvk_validator])
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    street = models.CharField(_("street and number or PO box"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail for invoices"), blank=True)
    buyer_reference = models.CharField(
        _("buyer reference"),
        max_length=100,
        blank=True,
        help_text=_("The reference the municipality asks to quote (order number)."),
    )
    identifiers_are_demo = models.BooleanField(
        _("demo identifiers"),
        default=False,
        help_text=_("OIN, KvK and address are placeholders for demonstration, not real."),
    )

    class Meta:
        verbose_name = _("buyer details")
        verbose_name_plural = _("buyer details")

    def __str__(self) -> str:
        return self.legal_name or f"Gemeente {self.municipality.display_name}"


class InvoiceSequence(models.Model):
    """The last number given per network and year. Issuing locks this row, so numbers are
    gapless and unique even when two issue runs race."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "year"], name="invoice_sequence_unique_year")]

    def __str__(self) -> str:
        return f"{self.network_id}/{self.year}: {self.last_number}"


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class Invoice(models.Model):
    wagtail_reference_index_ignore = True
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("network"))
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("number"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("municipality")
    )
    credited_invoice = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
        verbose_name=_("credits invoice"),
    )
    issue_date = models.DateField(_("issue date"))
    due_date = models.DateField(_("due date"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    description = models.CharField(_("description"), max_length=300)
    seller = models.JSONField(_("seller as issued"))
    buyer = models.JSONField(_("buyer as issued"))
    net_amount = models.DecimalField(_("amount excluding VAT"), max_digits=14, decimal_places=2)
    vat_treatment = models.CharField(_("VAT treatment"), max_length=20, choices=VatTreatment.choices)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2)
    vat_amount = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2)
    total_amount = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Issued on demo rules or placeholder identifiers.")
    )
    demo_reasons = models.JSONField(_("why demo"), default=list, blank=True)
    ubl_xml = models.TextField(_("UBL e-invoice as issued"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["network", "year", "sequence"], name="invoice_gapless_unique_sequence"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.municipality}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("allow_update", False):
            raise ValidationError(_("An issued invoice never changes; issue a credit note instead."))
        super().save(*args, **kwargs)

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE


class InvoiceLine(models.Model):
    wagtail_reference_index_ignore = True
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice"))
    position = models.PositiveSmallIntegerField(_("position"))
    description = models.CharField(_("description"), max_length=300)
    explanation = models.TextField(_("explanation"), blank=True)
    inhabitants = models.PositiveIntegerField(_("inhabitants"))
    population_source = models.CharField(_("population source"), max_length=20)
    population_date = models.DateField(_("population reference date"))
    rate = models.DecimalField(_("rate per inhabitant"), max_digits=10, decimal_places=4)
    months = models.PositiveSmallIntegerField(_("months"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.description}"


class Payment(models.Model):
    wagtail_reference_index_ignore = True
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments", verbose_name=_("invoice"))
    date = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    reference = models.CharField(_("bank reference"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["invoice", "date"]

    def __str__(self) -> str:
        return f"{self.invoice.number} {self.date} {self.amount}"


class ReminderChannel(models.TextChoices):
    MAIL = "mail", _("E-mail")
    LETTER = "letter", _("Letter")


class Reminder(models.Model):
    wagtail_reference_index_ignore = True
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="reminders", verbose_name=_("invoice"))
    date = models.DateField(_("date"))
    level = models.PositiveSmallIntegerField(_("reminder number"))
    channel = models.CharField(_("channel"), max_length=10, choices=ReminderChannel.choices)
    sent_to = models.CharField(_("sent to"), max_length=300, blank=True)
    outstanding = models.DecimalField(_("outstanding"), max_digits=14, decimal_places=2)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["invoice", "date", "level"]

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.date} #{self.level} {self.channel}"


class InvoiceMailing(models.Model):
    """An invoice or credit note sent by e-mail with its PDF and UBL e-invoice attached: to whom,
    when and by whom. The mail itself, and whether it was delivered, is in the outbox."""

    wagtail_reference_index_ignore = True
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="mailings", verbose_name=_("invoice"))
    sent_to = models.CharField(_("sent to"), max_length=300)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("sent by"))

    class Meta:
        verbose_name = _("invoice sent by e-mail")
        verbose_name_plural = _("invoices sent by e-mail")
        ordering = ["invoice", "sent_at"]

    def __str__(self) -> str:
        return f"{self.invoice_id} → {self.sent_to}"
