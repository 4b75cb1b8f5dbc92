"""Events of the network (knowledge and network days, conferences): the programme of sessions,
registrations with a waiting list, check-in codes, and the photo report afterwards.

Rows are written by ``services`` only; who may see an event follows its audience, which uses the
visibility levels of governance (public, members, members and partners, one body or group)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from stedennet.events.constants import (
    CODE_ALPHABET,
    CODE_LENGTH,
    EventKind,
    EventStatus,
    RegistrationStatus,
)
from stedennet.governance.models import Body, Person, Visibility


def new_token() -> str:
    """The secret in the address of a registrant's own page (and its cancel link)."""
    return secrets.token_urlsafe(32)


def new_code() -> str:
    """A check-in code: short enough to type from a phone, random enough not to be guessed."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Event(ClusterableModel):
    wagtail_reference_index_ignore = True
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, default=EventKind.KNOWLEDGE_DAY)
    status = models.CharField(_("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT)
    summary = models.TextField(_("summary"), blank=True)
    description = RichTextField(_("description"), blank=True,
                                features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    # Where: a place with its address, an online link, or both.
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    # Who may see it and register: a governance visibility level, with the body for "this body only".
    audience = models.CharField(_("audience"), max_length=20, choices=Visibility.choices,
                                default=Visibility.MEMBERS)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, null=True, blank=True, related_name="events",
                             verbose_name=pgettext_lazy("governance", "body or group"))
    organiser = models.ForeignKey(Body, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name=_("organised by"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True,
                                           help_text=_("Empty: no limit."))
    registration_required = models.BooleanField(_("registration"), default=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder (days before)"), default=2, help_text=_("0: no reminder."))
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True, editable=False)
    uid = models.CharField(max_length=100, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False, help_text="iCalendar SEQUENCE")
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"], name="event_listing_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=~Q(audience=Visibility.BODY) | Q(body__isnull=False),
                                   name="event_body_audience_has_body"),
            models.CheckConstraint(condition=Q(status__in=EventStatus.values), name="event_status_known"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event", kwargs={"slug": self.slug})

    @property
    def is_multi_day(self) -> bool:
        return timezone.localdate(self.starts_at) != timezone.localdate(self.ends_at)

    def registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.status != EventStatus.PUBLISHED or not self.registration_required or self.starts_at <= now:
            return False
        return self.registration_closes_at is None or now < self.registration_closes_at


class Session(models.Model):
    """One part of an event's programme: time, room, speakers, and the theme group behind it."""

    event = ParentalKey(Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    speakers = models.CharField(_("speakers"), max_length=300, blank=True)
    group = models.ForeignKey(Body, on_delete=models.SET_NULL, null=True, blank=True, related_name="event_sessions",
                              verbose_name=_("theme group"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True,
                                           help_text=_("Empty: no limit of its own."))

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["event", "starts_at", "room", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    """A person's registration for an event: a place, or a place on the waiting list."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations",
                              verbose_name=_("event"))
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="event_registrations", verbose_name=_("person"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("account"))
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    remarks = models.TextField(_("remarks"), blank=True, help_text=_("Dietary needs, accessibility."))
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    code = models.CharField(_("check-in code"), max_length=16, unique=True, default=new_code, editable=False)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("registered"), default=timezone.now, db_index=True)
    # The waiting list is served in this order (the moment one went on it).
    waitlisted_at = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("place since"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("checked in by"))
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created_at", "pk"]
        indexes = [models.Index(fields=["event", "status", "waitlisted_at"], name="registration_queue_idx")]
        constraints = [
            # One person holds one registration per event (a cancelled one may be followed by a new one).
            models.UniqueConstraint(fields=["event", "email"], condition=~Q(status=RegistrationStatus.CANCELLED),
                                    name="registration_once_per_email"),
            models.CheckConstraint(condition=Q(status__in=RegistrationStatus.values),
                                   name="registration_status_known"),
            models.CheckConstraint(condition=~Q(status=RegistrationStatus.WAITLISTED) | Q(waitlisted_at__isnull=False),
                                   name="registration_waitlist_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.event})"

    def get_absolute_url(self) -> str:
        return reverse("events:registration", kwargs={"token": self.token})


class SessionRegistration(models.Model):
    """A registration's place in one session (sessions with a capacity have their own waiting list)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="sessions",
                                     verbose_name=_("registration"))
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="registrations",
                                verbose_name=_("session"))
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("session registration")
        verbose_name_plural = _("session registrations")
        ordering = ["session", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="session_registration_once"),
            models.CheckConstraint(condition=Q(status__in=RegistrationStatus.values),
                                   name="session_registration_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.registration.name}: {self.session}"


class PhotoReportPage(Page):
    """The photo report of an event: a page of the public site with Wagtail images, linked from the
    event's page."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, null=True, blank=True, related_name="photo_reports",
                              verbose_name=_("event"))
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("event"), FieldPanel("intro"),
                      InlinePanel("photos", label=_("photos"))]
    parent_page_types = ["site.HomePage", "site.ContentPage"]

    class Meta:
        verbose_name = _("photo report")
        verbose_name_plural = _("photo reports")

    def get_context(self, request, *args, **kwargs):
        from stedennet.events.selectors import viewer_may_see
        from stedennet.governance.access import viewer_for

        context = super().get_context(request, *args, **kwargs)
        # The event is linked only for those who may open its page; others read its name.
        context["event_visible"] = self.event is not None and viewer_may_see(viewer_for(request.user), self.event)
        return context


class PhotoReportImage(Orderable):
    """One photo of a report, in order, with its caption and who took it."""

    page = ParentalKey(PhotoReportPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("image"))
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(_("photo by"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption"), FieldPanel("credit")]

    class Meta(Orderable.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
