"""The member letter: numbered letters (``Letter``, numbers per year from ``LetterSequence``),
the distribution lists the bureau keeps per municipality (``DistributionAddress``: the college,
the council through its griffie, others) and the people who subscribed themselves
(``Subscriber``, double opt-in). Letters and subscribers are written by ``services`` only (the
back office goes through them too); distribution addresses are kept with Wagtail's own views
(and their audit trail). A letter's mailing is ``stedennet.mail``'s mass mailing."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField

from stedennet.letters.constants import AddressRole, LetterStatus, SubscriberStatus
from stedennet.registry.models import Municipality

BODY_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "hr"]


def new_token() -> str:
    """The secret in a subscriber's confirmation and unsubscribe links."""
    return secrets.token_urlsafe(32)


def reference_for(year: int, number: int) -> str:
    """"Lbr. 26/001": the two-digit year and the three-digit sequence number."""
    return f"Lbr. {year % 100:02d}/{number:03d}"


class LetterSequence(models.Model):
    """The last number given in a year. Creating a letter locks this row (``SELECT … FOR
    UPDATE``), so numbers are gapless and unique even when two drafts are made at once."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("letter number sequence")
        verbose_name_plural = _("letter number sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Letter(models.Model):
    """A member letter, numbered per year, to the colleges and councils of every member."""

    wagtail_reference_index_ignore = True
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveSmallIntegerField(_("number"), editable=False)
    title = models.CharField(_("title"), max_length=200,
                             help_text=_("Follows the number in the subject: \"Member letter Lbr. 26/001: title\"."))
    body = RichTextField(_("text"), blank=True, features=BODY_FEATURES)
    status = models.CharField(_("status"), max_length=12, choices=LetterStatus.choices, default=LetterStatus.DRAFT,
                              editable=False)
    # The draft was composed from what happened in this period (since the previous letter).
    composed_from = models.DateTimeField(_("composed from"), null=True, blank=True, editable=False)
    composed_until = models.DateTimeField(_("composed until"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"), editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("sent by"), editable=False)
    finished_at = models.DateTimeField(_("delivered"), null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, editable=False)
    mailing = models.OneToOneField("mail.Mailing", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="letter", verbose_name=_("mailing"), editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False,
                                  help_text=_("Invented for demonstration; not a letter of the real network."))

    class Meta:
        verbose_name = _("member letter")
        verbose_name_plural = _("member letters")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="letter_number_once_per_year"),
            models.CheckConstraint(condition=Q(status__in=LetterStatus.values), name="letter_status_known"),
            models.CheckConstraint(condition=Q(status=LetterStatus.DRAFT) | Q(status=LetterStatus.WITHDRAWN)
                                   | Q(sent_at__isnull=False), name="letter_sent_has_time"),
        ]
        indexes = [models.Index(fields=["status", "sent_at"], name="letter_archive_idx")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def reference(self) -> str:
        return reference_for(self.year, self.number)

    @property
    def number_text(self) -> str:
        return f"{self.number:03d}"

    @property
    def is_published(self) -> bool:
        return self.status in (LetterStatus.SENDING, LetterStatus.SENT)

    def get_absolute_url(self) -> str:
        return reverse("letters:letter", kwargs={"year": str(self.year), "number": self.number_text})


class DistributionAddress(models.Model):
    """An address on a municipality's distribution list: its college, its council (through the
    griffie) or someone else. Inactive or bounced addresses receive nothing."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="letter_addresses",
                                     verbose_name=_("municipality"))
    role = models.CharField(_("role"), max_length=10, choices=AddressRole.choices)
    name = models.CharField(_("name"), max_length=200, blank=True,
                            help_text=_("Shown in the To: header, e.g. \"Griffie gemeente Almere\"."))
    email = models.EmailField(_("e-mail address"), max_length=254)
    is_active = models.BooleanField(_("active"), default=True)
    bounced_at = models.DateTimeField(_("bounced"), null=True, blank=True,
                                      help_text=_("Set when a mail to this address bounced for good; an address "
                                                  "that bounced receives nothing until this is cleared."))
    bounce_reason = models.TextField(_("bounce reason"), blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("distribution address")
        verbose_name_plural = _("distribution addresses")
        ordering = ["municipality__name", "role", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), "municipality", name="letter_address_once_per_municipality"),
            models.CheckConstraint(condition=Q(role__in=AddressRole.values), name="letter_address_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.email} ({self.get_role_display()})"

    @property
    def receives(self) -> bool:
        return self.is_active and self.bounced_at is None


class Subscriber(models.Model):
    """Someone who asked for the member letter on the public subscribe page (double opt-in:
    only confirmed subscribers receive it)."""

    email = models.EmailField(_("e-mail address"), max_length=254)
    name = models.CharField(_("name"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=14, choices=SubscriberStatus.choices,
                              default=SubscriberStatus.PENDING, editable=False)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("subscribed"), auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation mail sent"), null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, editable=False)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True, editable=False)
    bounced_at = models.DateTimeField(_("bounced"), null=True, blank=True,
                                      help_text=_("Set when a mail to this address bounced for good."))
    bounce_reason = models.TextField(_("bounce reason"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="letter_subscriber_once"),
            models.CheckConstraint(condition=Q(status__in=SubscriberStatus.values), name="letter_subscriber_status"),
        ]

    def __str__(self) -> str:
        return self.email

    def get_unsubscribe_url(self) -> str:
        return reverse("letters:unsubscribe", kwargs={"token": self.token})

    def get_confirm_url(self) -> str:
        return reverse("letters:confirm", kwargs={"token": self.token})
