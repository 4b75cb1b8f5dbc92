"""Privacy: what every app holds on a person, shown to them (export) and erased by the bureau.

Every app declares its holdings in its own ``<app>/privacy.py`` (found by ``autodiscover``, by
module name, so this app on the ground floor knows no higher app):

- ``holding_register(model, basis=…, what=…, export=…, erase=…, order=…)``: a model that holds
  data on a person. ``export(subject)`` returns the person's records as plain dicts (``records``
  makes them); ``erase(subject, by)`` removes or anonymises them and returns how many rows it
  changed. ``basis`` says what happens on erasure: ``ERASE`` (deleted), ``ANONYMISE`` (kept
  without what identifies them; e.g. positions keep body and dates), ``KEEP_LEGAL`` (kept because
  the law says so) or ``WITH_ACCOUNT`` (deleted or unlinked by the database when the account is
  deleted);
- ``not_personal(model, reason)``: a model that looks personal (a name, an e-mail field) but is
  not about a person (an organisation's invoicing address, a body's name);
- ``subject_finder_register(fn)``: ``fn(subject) -> subject`` completes a subject (governance adds
  the person's account and addresses); ``resurrection_finder_register(fn)``: ``fn(matches) ->
  [subject]`` finds people on the erasure list that exist again (a restored backup).

``tests/test_privacy_coverage.py`` fails for any model (ours or third-party) with a person field
that no app declares.

Flows owned here:
- ``export(subject)``: everything every app holds on the subject, grouped per app;
- ``erase(subject, by=)``: every holding's erase in one transaction (in ``order``), then the
  ``accounts.Erasure`` row and, after the commit, a line in the erasure list
  (``erasure_list``: keyed hashes, never a name);
- ``reapply()``: erase again everyone on the list who exists again; run after every migrate
  (``stedennet privacy reapply``).
"""

import datetime
import importlib
import importlib.util
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stedennet.accounts import erasure_list
from stedennet.web.refusals import Refused

logger = logging.getLogger(__name__)

ERASE = "erase"
ANONYMISE = "anonymise"
KEEP_LEGAL = "keep-legal"
WITH_ACCOUNT = "with-account"
NOT_PERSONAL = "not-personal"
BASES = (ERASE, ANONYMISE, KEEP_LEGAL, WITH_ACCOUNT, NOT_PERSONAL)

# Holdings run in this order on erasure: the account goes last but one, the search index last.
ORDER_CONTENT = 20
ORDER_PERSON = 50
ORDER_LOGS = 70
ORDER_ACCOUNT = 90
ORDER_INDEX = 95

FORMAT = "stedennet-privacy-export/1"


@dataclass(frozen=True)
class PrivacySubject:
    """Whom an export or erasure is about: a person (governance), their account, their addresses."""

    person_id: int | None = None
    user_id: int | None = None
    emails: tuple[str, ...] = ()
    username: str = ""
    name: str = ""
    # Filled by governance: "Former member of <organisation>", what remains of them on pages;
    # whether the person exists, and whether they were erased before.
    display: str = ""
    known: bool = False
    erased: bool = False

    @property
    def email(self) -> str:
        return self.emails[0] if self.emails else ""

    def with_emails(self, *emails: str) -> "PrivacySubject":
        known = list(self.emails)
        for email in emails:
            if email and email.casefold() not in {e.casefold() for e in known}:
                known.append(email)
        return replace(self, emails=tuple(known))

    @property
    def emails_casefolded(self) -> set[str]:
        return {email.casefold() for email in self.emails}


@dataclass(frozen=True)
class Holding:
    model: str  # app_label.ModelName
    basis: str
    what: str  # what it holds, for people (lazy text)
    export: Callable[[PrivacySubject], list[dict]] | None = None
    erase: Callable[..., int] | None = None
    order: int = ORDER_CONTENT
    app: str = ""

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


_holdings: dict[str, Holding] = {}
_subject_finders: list[Callable[[PrivacySubject], PrivacySubject]] = []
_resurrection_finders: list[Callable[["Matches"], list[PrivacySubject]]] = []
_discovered = False


def _label(model) -> str:
    return model if isinstance(model, str) else model._meta.label


def holding_register(model, *, basis: str, what, export=None, erase=None, order: int = ORDER_CONTENT) -> None:
    """Declare that ``model`` holds data on people (see the module's docstring)."""
    label = _label(model)
    if basis not in BASES:
        raise ImproperlyConfigured(f"privacy: unknown basis {basis!r} for {label}")
    if label in _holdings:
        raise ImproperlyConfigured(f"privacy: {label} is declared twice ({_holdings[label].app})")
    app = label.split(".")[0]
    _holdings[label] = Holding(model=label, basis=basis, what=what, export=export, erase=erase, order=order, app=app)


def not_personal(model, reason) -> None:
    """Declare that ``model`` looks personal but holds nothing on a person, and why."""
    holding_register(model, basis=NOT_PERSONAL, what=reason)


def subject_finder_register(finder: Callable[[PrivacySubject], PrivacySubject]) -> None:
    if finder not in _subject_finders:
        _subject_finders.append(finder)


def resurrection_finder_register(finder: Callable[["Matches"], list[PrivacySubject]]) -> None:
    if finder not in _resurrection_finders:
        _resurrection_finders.append(finder)


def autodiscover() -> None:
    """Import ``<app>.privacy`` of every installed app that has one (once)."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    _register_own()
    for config in apps.get_app_configs():
        name = f"{config.name}.privacy"
        try:
            spec = importlib.util.find_spec(name)
        except ModuleNotFoundError:
            spec = None
        if spec is not None:
            importlib.import_module(name)


def holdings() -> list[Holding]:
    """Every declared holding, in erasure order."""
    autodiscover()
    return sorted(_holdings.values(), key=lambda h: (h.order, h.model))


def holding_for(model) -> Holding | None:
    autodiscover()
    return _holdings.get(_label(model))


# --- helpers for the apps' declarations ---------------------------------------------------------------


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)


def records(queryset: Iterable[models.Model], fields: Iterable[str]) -> list[dict]:
    """The rows as dicts of plain values: a field name (``"status"``), a relation followed with
    ``__`` (``"body__name"``) or a method/property of the row; choices show their label."""
    fields = list(fields)
    rows = []
    for obj in queryset:
        row = {}
        for name in fields:
            value = obj
            for part in name.split("__"):
                if value is None:
                    break
                display = getattr(value, f"get_{part}_display", None)
                value = display() if callable(display) else getattr(value, part)
                if callable(value) and not isinstance(value, models.Model):
                    value = value()
            row[name] = _plain(value if not isinstance(value, models.Model) else str(value))
        rows.append(row)
    return rows


def user_of(subject: PrivacySubject):
    """The subject's account, or None."""
    if subject.user_id is None:
        return None
    return get_user_model().objects.filter(pk=subject.user_id).first()


# --- subjects --------------------------------------------------------------------------------------------


def subject_for(*, person_id: int | None = None, user=None) -> PrivacySubject:
    """The subject for a person (by id) or an account, completed by every finder (governance adds
    the person or the account, accounts the account's addresses)."""
    autodiscover()
    subject = PrivacySubject(person_id=person_id, user_id=getattr(user, "pk", None))
    for _round in range(2):  # a finder may add what another one needs
        for finder in _subject_finders:
            subject = finder(subject)
    return subject


class PrivacyRefused(Refused):
    default_code = "privacy_refused"


def erase_person(person_id: int, *, by=None) -> "ErasureResult":
    """Erase the person with this id (``erase``); refused for an unknown or already erased person."""
    subject = subject_for(person_id=person_id)
    if not subject.known:
        raise PrivacyRefused(_("There is no person with this id."), "person_unknown")
    if subject.erased:
        raise PrivacyRefused(_("This person has been erased already."), "already_erased")
    return erase(subject, by=by)


def field_labels(model: type[models.Model], rows: list[dict]) -> dict[str, str]:
    """Key → the verbose name of the field it names (``body__name`` → the body's "name")."""
    labels: dict[str, str] = {}
    for row in rows:
        for key in row:
            if key in labels:
                continue
            parts, current = [], model
            for part in key.split("__"):
                try:
                    field = current._meta.get_field(part)
                except Exception:  # a property or method: its own name
                    parts.append(part.replace("_", " "))
                    break
                parts.append(str(field.verbose_name))
                current = field.related_model or current
            labels[key] = ": ".join(parts).capitalize()
    return labels


# --- export ------------------------------------------------------------------------------------------------


def export(subject: PrivacySubject) -> dict:
    """Everything every app holds on ``subject``: ``{"format", "generated_at", "subject", "apps":
    [{"app", "name", "holdings": [{"model", "name", "what", "basis", "records"}]}]}``; holdings
    without records are left out."""
    per_app: dict[str, list[dict]] = {}
    for holding in sorted(holdings(), key=lambda h: (h.app, h.model)):
        if holding.export is None:
            continue
        rows = holding.export(subject)
        if not rows:
            continue
        model = holding.model_class
        per_app.setdefault(holding.app, []).append({
            "model": holding.model, "name": str(model._meta.verbose_name_plural).capitalize(),
            "what": str(holding.what), "basis": holding.basis, "labels": field_labels(model, rows),
            "records": rows,
        })
    return {
        "format": FORMAT,
        "generated_at": timezone.now().isoformat(),
        "subject": {"person_id": subject.person_id, "user_id": subject.user_id},
        "apps": [{"app": label, "name": str(apps.get_app_config(label).verbose_name), "holdings": items}
                 for label, items in per_app.items()],
    }


# --- erasure -----------------------------------------------------------------------------------------------


@dataclass
class ErasureResult:
    subject: PrivacySubject
    changed: dict[str, int] = field(default_factory=dict)
    erasure_id: int | None = None


def erase(subject: PrivacySubject, *, by=None, record: bool = True) -> ErasureResult:
    """Erase ``subject`` everywhere in one transaction: every holding's ``erase`` in order, then the
    ``accounts.Erasure`` row; after the commit a line in the erasure list (unless ``record`` is
    False: ``reapply`` erases people who are on it already)."""
    from stedennet.accounts.models import Erasure

    result = ErasureResult(subject=subject)
    hmacs = erasure_list.email_hmacs(subject.emails)
    entry = {
        "person_id": subject.person_id, "user_id": subject.user_id,
        "email_hmac": hmacs[0] if hmacs else "", "email_hmacs": hmacs,
        "username_hmac": erasure_list.username_hmac(subject.username) if subject.username else "",
        "erased_at": timezone.now().isoformat(),
        "erased_by": getattr(by, "pk", None) if getattr(by, "pk", None) != subject.user_id else None,
    }
    with transaction.atomic():
        for holding in holdings():
            if holding.erase is None:
                continue
            changed = holding.erase(subject, by)
            if changed:
                result.changed[holding.model] = changed
        if subject.person_id:
            existing = Erasure.objects.filter(person_id=subject.person_id).first()
        else:
            existing = Erasure.objects.filter(person_id=None, user_id=subject.user_id).first()
        if existing is None:
            existing = Erasure.objects.create(
                person_id=subject.person_id, user_id=subject.user_id, email_hmac=entry["email_hmac"],
                erased_at=timezone.now(), erased_by=by if getattr(by, "pk", None) not in (None, subject.user_id)
                else None)  # an account that erased itself is gone
        result.erasure_id = existing.pk
        if record:
            transaction.on_commit(lambda: erasure_list.append(entry))
    return result


# --- the erasure list: people who must stay erased ----------------------------------------------------------


@dataclass
class Matches:
    """What the erasure list knows: keyed hashes of addresses and usernames, ids; ``matches_email``
    says whether an address is on it."""

    email_hmacs: set[str] = field(default_factory=set)
    username_hmacs: set[str] = field(default_factory=set)
    person_ids: set[int] = field(default_factory=set)
    user_ids: set[int] = field(default_factory=set)

    def matches_email(self, email: str) -> bool:
        return bool(email) and erasure_list.email_hmac(email) in self.email_hmacs

    def matches_username(self, username: str) -> bool:
        return bool(username) and erasure_list.username_hmac(username) in self.username_hmacs


def _list_matches() -> Matches:
    """The erasure list file, healed from the database: a row of ``accounts.Erasure`` that the file
    misses (a crash between commit and append, a lost volume) is appended to it."""
    from stedennet.accounts.models import Erasure

    matches = Matches()
    entries = erasure_list.entries()
    in_file = {(e.get("person_id"), e.get("user_id")) for e in entries}
    for row in Erasure.objects.all():
        if (row.person_id, row.user_id) not in in_file:
            entry = {"person_id": row.person_id, "user_id": row.user_id, "email_hmac": row.email_hmac,
                     "email_hmacs": [row.email_hmac] if row.email_hmac else [], "username_hmac": "",
                     "erased_at": row.erased_at.isoformat(), "erased_by": row.erased_by_id}
            erasure_list.append(entry)
            entries.append(entry)
    for entry in entries:
        matches.email_hmacs.update(h for h in [entry.get("email_hmac"), *entry.get("email_hmacs", [])] if h)
        if entry.get("username_hmac"):
            matches.username_hmacs.add(entry["username_hmac"])
        if entry.get("person_id"):
            matches.person_ids.add(int(entry["person_id"]))
        if entry.get("user_id"):
            matches.user_ids.add(int(entry["user_id"]))
    return matches


def _seen(subject: PrivacySubject, persons: set, users: set) -> bool:
    return (subject.person_id is not None and subject.person_id in persons) or (
        subject.user_id is not None and subject.user_id in users)


def reapply(*, by=None) -> list[PrivacySubject]:
    """Erase again everyone on the erasure list who exists again (after a backup was restored):
    people and accounts whose address (or username) is on the list. Returns whom it erased."""
    autodiscover()
    if not erasure_list.exists():
        from stedennet.accounts.models import Erasure

        if not Erasure.objects.exists():
            return []  # nothing was ever erased: nothing to read
    matches = _list_matches()
    if not (matches.email_hmacs or matches.username_hmacs):
        return []
    found: list[PrivacySubject] = []
    for finder in _resurrection_finders:
        found.extend(finder(matches))
    erased: list[PrivacySubject] = []
    persons: set[int] = set()
    users: set[int] = set()
    for candidate in found:
        if _seen(candidate, persons, users):
            continue  # erased with someone found before
        subject = subject_for(person_id=candidate.person_id,
                              user=get_user_model()(pk=candidate.user_id) if candidate.user_id else None)
        subject = subject.with_emails(*candidate.emails)
        if _seen(subject, persons, users) or not (subject.known or user_of(subject)):
            continue
        persons.add(subject.person_id)
        users.add(subject.user_id)
        erase(subject, by=by, record=False)
        erased.append(subject)
    return erased


# --- what accounts holds (and the sign-in packages it installs) ----------------------------------------------


def _user_rows(subject: PrivacySubject) -> list[dict]:
    user = user_of(subject)
    if user is None:
        return []
    row = records([user], ["username", "first_name", "last_name", "email", "date_joined", "last_login",
                           "is_active"])[0]
    row["roles"] = sorted(user.groups.values_list("name", flat=True))
    return [row]


def _user_erase(subject: PrivacySubject, by) -> int:
    """The account goes, and with it (by the database) its addresses, OpenID Connect links, second
    factors, sessions, digest and alert choices and API tokens; the sessions are ended first."""
    from allauth.usersessions.models import UserSession

    user = user_of(subject)
    if user is None:
        return 0
    for session in UserSession.objects.filter(user=user):
        session.end()
    from django.contrib.sessions.models import Session

    # Sessions made before usersessions tracked them: the session store holds the account's id.
    for session in Session.objects.all().iterator():
        if str(session.get_decoded().get("_auth_user_id", "")) == str(user.pk):
            session.delete()
    user.delete()
    return 1


def _by_user(model_label: str, fields: list[str], user_field: str = "user_id"):
    def export_rows(subject: PrivacySubject) -> list[dict]:
        if subject.user_id is None:
            return []
        return records(apps.get_model(model_label).objects.filter(**{user_field: subject.user_id}), fields)

    return export_rows


def _invitations(subject: PrivacySubject):
    from django.db.models import Q

    from stedennet.accounts.models import Invitation

    condition = Q(pk__in=[])
    if subject.user_id:
        condition |= Q(user_id=subject.user_id)
    for email in subject.emails:
        condition |= Q(email__iexact=email)
    return Invitation.objects.filter(condition)


def _axes(model_label: str):
    def queryset(subject: PrivacySubject):
        names = [name for name in [subject.username, *subject.emails] if name]
        if not names:
            return apps.get_model(model_label).objects.none()
        from django.db.models import Q

        condition = Q(pk__in=[])
        for name in names:
            condition |= Q(username__iexact=name)
        return apps.get_model(model_label).objects.filter(condition)

    def export_rows(subject: PrivacySubject) -> list[dict]:
        return records(queryset(subject), ["attempt_time", "ip_address", "user_agent", "path_info"]
                       if model_label != "axes.AccessLog" else ["attempt_time", "logout_time", "ip_address",
                                                                "user_agent", "path_info"])

    def erase_rows(subject: PrivacySubject, by) -> int:
        return queryset(subject).delete()[0]

    return export_rows, erase_rows


def _admin_log_erase(subject: PrivacySubject, by) -> int:
    """Django admin's log entries name what they changed: the person's name gives way."""
    from django.contrib.admin.models import LogEntry

    if len(subject.name) < 3:
        return 0
    changed = 0
    for entry in LogEntry.objects.filter(object_repr__contains=subject.name):
        entry.object_repr = entry.object_repr.replace(subject.name, subject.display)[:200]
        entry.save(update_fields=["object_repr"])
        changed += 1
    return changed


def _account_complete(subject: PrivacySubject) -> PrivacySubject:
    """Add the account's username and every address it has (allauth's among them)."""
    from allauth.account.models import EmailAddress

    user = user_of(subject)
    if user is None:
        return subject
    emails = [user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)]
    return replace(subject.with_emails(*emails), username=user.get_username(),
                   name=subject.name or user.get_full_name())


def resurrected_accounts(matches: Matches) -> list[PrivacySubject]:
    """Accounts on the erasure list that exist again: their address or username is on it."""
    from allauth.account.models import EmailAddress

    found = []
    for user in get_user_model().objects.only("pk", "email", "username"):
        if matches.matches_email(user.email) or matches.matches_username(user.get_username()):
            found.append(PrivacySubject(user_id=user.pk, emails=(user.email,) if user.email else ()))
    for address in EmailAddress.objects.only("user_id", "email"):
        if matches.matches_email(address.email):
            found.append(PrivacySubject(user_id=address.user_id, emails=(address.email,)))
    return found


def _register_own() -> None:
    from django.utils.translation import gettext_lazy as _  # lazy: the texts are kept

    subject_finder_register(_account_complete)
    resurrection_finder_register(resurrected_accounts)

    holding_register(
        "auth.User", basis=ERASE, order=ORDER_ACCOUNT, export=_user_rows, erase=_user_erase,
        what=_("Your account: username, name, e-mail address, when it was made and last used, your roles."))
    not_personal("auth.Group", _("Roles: a name per role."))
    not_personal("auth.Permission", _("Permissions: a name per permission."))

    def invitation_rows(subject):
        return records(_invitations(subject), ["name", "email", "role", "created_at", "expires_at", "used_at"])

    holding_register(
        "accounts.Invitation", basis=ERASE, order=ORDER_PERSON - 1, export=invitation_rows,
        erase=lambda subject, by: _invitations(subject).delete()[0],
        what=_("Invitations to create an account: name, e-mail address, role and dates."))
    not_personal("accounts.IdentityProvider", _("Identity providers: an organisation's sign-in service."))
    holding_register(
        "accounts.Erasure", basis=KEEP_LEGAL,
        what=_("Who was erased: ids and a keyed hash of the e-mail address, no name; kept so that an old "
               "backup cannot bring an erased person back. The bureau member who erased is unlinked when "
               "their own account goes."))
    holding_register(
        "account.EmailAddress", basis=WITH_ACCOUNT, export=_by_user("account.EmailAddress",
                                                                    ["email", "verified", "primary"]),
        what=_("Your e-mail addresses and whether they are confirmed."))
    holding_register(
        "socialaccount.SocialAccount", basis=WITH_ACCOUNT,
        export=_by_user("socialaccount.SocialAccount", ["provider", "uid", "date_joined", "last_login",
                                                        "extra_data"]),
        what=_("Sign-in through your organisation: the provider, your id there and what it told us."))
    not_personal("socialaccount.SocialApp", _("Sign-in services of organisations (built from the identity "
                                              "providers)."))
    holding_register(
        "mfa.Authenticator", basis=WITH_ACCOUNT,
        export=_by_user("mfa.Authenticator", ["type", "created_at", "last_used_at"]),
        what=_("Your second factors (authenticator app, recovery codes, passkeys): kind and dates, never "
               "their secrets."))
    holding_register(
        "usersessions.UserSession", basis=WITH_ACCOUNT,
        export=_by_user("usersessions.UserSession", ["created_at", "last_seen_at", "ip", "user_agent"]),
        what=_("Your sessions: when, from which address and browser; ended and deleted with the account."))
    for label, what in [
        ("axes.AccessAttempt", _("Failed sign-ins with your username or address: when, from where.")),
        ("axes.AccessFailureLog", _("Failed sign-ins with your username or address: when, from where.")),
        ("axes.AccessLog", _("Sign-ins with your username or address: when, from where.")),
    ]:
        export_rows, erase_rows = _axes(label)
        holding_register(label, basis=ERASE, order=ORDER_LOGS, export=export_rows, erase=erase_rows, what=what)
    holding_register(
        "admin.LogEntry", basis=WITH_ACCOUNT, order=ORDER_LOGS, erase=_admin_log_erase,
        what=_("Changes made in the superusers' admin: deleted with the account; the names of what was "
               "changed no longer name you."))
    not_personal("pghistory.MiddlewareEvents",
                 _("A read-only view over the audit trail (the audit app), which holds account ids only."))
