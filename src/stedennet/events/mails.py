"""The mails to registrants, in the site's language, plain text with an HTML alternative:

- ``registered``: the confirmation (a place) or the waiting-list mail;
- ``moved_up``: a place came free (at the event, or in sessions);
- ``reminder``: ``reminder_days`` before the event;
- ``cancelled``: the registration is cancelled; ``event_cancelled``: the event is off.

Each links to the registrant's own page (``/evenementen/inschrijving/<token>/``: status, sessions,
the QR code, the iCal file, cancelling). A mail for someone with a place carries the check-in
code typed out and as a QR code: a PNG shown inline (``cid:``), so no external image is needed,
in a ``multipart/related`` part beside the HTML (RFC 2387), inside ``multipart/alternative``
with the plain text; and the event's iCal file as an attachment.

The ``send_*`` functions are what the services call after the commit (by primary key: the rows
are read again then); ``registration_message`` builds a mail without sending it.
"""

from email.mime.image import MIMEImage
from email.mime.text import MIMEText
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stedennet.events import ical, qr
from stedennet.events.constants import RegistrationStatus
from stedennet.events.models import Registration, Session, SessionRegistration

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
KINDS = ("confirmed", "waitlisted", "moved_up", "reminder", "cancelled", "event_cancelled")
QR_FILENAME = "inchecken.png"
ICS_FILENAME = "evenement.ics"


def absolute_url(path: str) -> str:
    """``path`` on the site's public address (``STEDENNET_BASE_URL``)."""
    base = (getattr(settings, "STEDENNET_BASE_URL", "") or getattr(settings, "WAGTAILADMIN_BASE_URL", "")
            or DEFAULT_BASE_URL)
    return base.rstrip("/") + path


class RelatedMail(EmailMultiAlternatives):
    """An ``EmailMultiAlternatives`` whose HTML alternative travels with its images:
    ``multipart/alternative`` [text/plain, ``multipart/related`` [text/html, image, …]], the
    structure of RFC 2387 that mail clients show inline and do not list as attachments."""

    def __init__(self, *args, related=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.related = list(related)

    def _create_alternatives(self, msg):
        msg = super()._create_alternatives(msg)
        if not self.related or not msg.is_multipart():
            return msg
        parts = msg.get_payload()
        for index, part in enumerate(parts):
            if part.get_content_type() == "text/html":
                related = SafeMIMEMultipart(_subtype="related", encoding=self.encoding or settings.DEFAULT_CHARSET)
                related.set_param("type", "text/html")
                related.attach(part)
                for image in self.related:
                    related.attach(image)
                parts[index] = related
        return msg


def _registration(pk: int) -> Registration | None:
    places = SessionRegistration.objects.select_related("session").order_by(
        "session__starts_at", "session__room", "session__pk")
    return (Registration.objects.select_related("event")
            .prefetch_related(Prefetch("sessions", queryset=places),
                              Prefetch("event__sessions", queryset=Session.objects.order_by("starts_at", "room", "pk")))
            .filter(pk=pk).first())


def _subject(kind: str, registration: Registration, moved_event: bool) -> str:
    event = registration.event
    if kind == "confirmed":
        return _("Registered: %(event)s") % {"event": event.title}
    if kind == "waitlisted":
        return _("On the waiting list: %(event)s") % {"event": event.title}
    if kind == "moved_up":
        if moved_event:
            return _("A place came free: you are registered for %(event)s") % {"event": event.title}
        return _("A place came free in a session of %(event)s") % {"event": event.title}
    if kind == "reminder":
        return _("Reminder: %(event)s on %(day)s") % {
            "event": event.title, "day": timezone.localtime(event.starts_at).strftime("%d-%m-%Y")}
    if kind == "cancelled":
        return _("Cancelled: your registration for %(event)s") % {"event": event.title}
    return _("Cancelled: %(event)s will not take place") % {"event": event.title}


def _waitlist_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = Registration.objects.filter(event=registration.event_id, status=RegistrationStatus.WAITLISTED,
                                        waitlisted_at__lt=registration.waitlisted_at).count()
    same_moment = Registration.objects.filter(event=registration.event_id, status=RegistrationStatus.WAITLISTED,
                                              waitlisted_at=registration.waitlisted_at,
                                              pk__lt=registration.pk).count()
    return ahead + same_moment + 1


def registration_message(registration: Registration, kind: str, *, moved_event: bool = False,
                         moved_sessions: tuple[int, ...] = ()) -> RelatedMail:
    """The mail of ``kind`` (see ``KINDS``) to the registrant."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of events mail: {kind}")
    event = registration.event
    has_place = registration.status == RegistrationStatus.CONFIRMED and kind not in ("cancelled", "event_cancelled")
    cid = make_msgid(idstring="qr", domain="stedennet.invalid")
    with translation.override(settings.LANGUAGE_CODE):
        page_url = absolute_url(registration.get_absolute_url())
        event_url = absolute_url(event.get_absolute_url())
        places = list(registration.sessions.all())
        context = {
            "kind": kind,
            "registration": registration,
            "event": event,
            "starts": timezone.localtime(event.starts_at),
            "ends": timezone.localtime(event.ends_at),
            "location": ical.location(event),
            "places": places,
            "moved_places": [place for place in places if place.session_id in set(moved_sessions)],
            "moved_event": moved_event,
            "has_place": has_place,
            "waitlist_position": _waitlist_position(registration),
            "page_url": page_url,
            "event_url": event_url,
            "ical_url": absolute_url(reverse("events:registration_ical", kwargs={"token": registration.token})),
            "qr_cid": cid[1:-1],
            "site_name": settings.WAGTAIL_SITE_NAME,
            "language": settings.LANGUAGE_CODE,
        }
        subject = _subject(kind, registration, moved_event)
        text = render_to_string("events/mail/registration_email.txt", context).strip() + "\n"
        html_body = render_to_string("events/mail/registration_email.html", context)
        calendar = ical.events_calendar([event], name=event.title, url_for=lambda _event: event_url) \
            if has_place else None
    related = []
    if has_place:
        image = MIMEImage(qr.qr_png(registration.code), "png")
        image.add_header("Content-ID", cid)
        image.add_header("Content-Disposition", "inline", filename=QR_FILENAME)
        related.append(image)
    message = RelatedMail(subject=subject, body=text, to=[registration.email],
                          headers={"Auto-Submitted": "auto-generated"}, related=related)
    message.attach_alternative(html_body, "text/html")
    if calendar is not None:
        part = MIMEText(calendar, "calendar", "utf-8")
        part.set_param("method", "PUBLISH")
        part.add_header("Content-Disposition", "attachment", filename=ICS_FILENAME)
        message.attach(part)
    return message


def _send(pk: int, kind: str, **extra) -> bool:
    registration = _registration(pk)
    if registration is None:
        return False
    registration_message(registration, kind, **extra).send()
    return True


def send_registered(pk: int) -> bool:
    registration = _registration(pk)
    if registration is None:
        return False
    kind = "confirmed" if registration.status == RegistrationStatus.CONFIRMED else "waitlisted"
    registration_message(registration, kind).send()
    return True


def send_moved_up(pk: int, event: bool, sessions: tuple[int, ...]) -> bool:
    return _send(pk, "moved_up", moved_event=event, moved_sessions=tuple(sessions))


def send_reminder(pk: int) -> bool:
    return _send(pk, "reminder")


def send_cancelled(pk: int) -> bool:
    return _send(pk, "cancelled")


def send_event_cancelled(pk: int) -> bool:
    return _send(pk, "event_cancelled")


__all__ = ["KINDS", "RelatedMail", "absolute_url", "registration_message", "send_cancelled", "send_event_cancelled",
           "send_moved_up", "send_registered", "send_reminder"]
