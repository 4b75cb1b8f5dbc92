"""What the audit trail tracks, for the readers: each kind of object (``app.model`` of the tracked
model, e.g. ``registry.populationfigure``), its event model, its name in the back office, how one
event's object is titled (a format over the snapshot, foreign keys as names) and which other kinds
belong to its history (a municipality's population figures, an account's groups)."""

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from stedennet.audit import models as events


@dataclass(frozen=True)
class Tracked:
    event_model: type
    label: object  # a lazy translated name
    title: str  # format over the snapshot's field names (foreign keys resolved to names)
    related: tuple[tuple[str, str], ...] = field(default=())  # (kind, attname holding this object's pk)

    @cached_property
    def model(self) -> type:
        """The tracked (concrete) model."""
        return self.event_model.pgh_tracked_model._meta.concrete_model

    @cached_property
    def kind(self) -> str:
        return self.model._meta.label_lower

    @cached_property
    def fields(self) -> list:
        """The snapshot's fields: those of the event model the tracked model has too."""
        names = {f.name for f in self.model._meta.concrete_fields}
        return [f for f in self.event_model._meta.concrete_fields
                if not f.name.startswith("pgh_") and f.name in names]


_MUNICIPALITY = "registry.municipality"
_USER = User._meta.label_lower
_GROUP_LINKS = User.groups.through._meta.label_lower
_USER_PERMISSIONS = User.user_permissions.through._meta.label_lower
_GROUP_PERMISSIONS = "auth.group_permissions"

TRACKED: tuple[Tracked, ...] = (
    Tracked(events.MunicipalityEvent, _("municipality"), "{common_name} {name} ({cbs_code})",
            related=(("registry.populationfigure", "municipality_id"),
                     ("membership.membershipperiod", "municipality_id"),
                     ("membership.membershipprocedure", "municipality_id"),
                     ("invoices.invoice", "municipality_id"))),
    Tracked(events.PopulationFigureEvent, _("population figure"),
            "{municipality} {reference_date}: {inhabitants} ({source})"),
    Tracked(events.MembershipPeriodEvent, _("membership period"), "{municipality} {start_date}–{end_date}"),
    Tracked(events.MembershipProcedureEvent, _("membership procedure"), "{kind} {municipality}",
            related=(("membership.procedurestep", "procedure_id"),)),
    Tracked(events.ProcedureStepEvent, _("procedure step"), "{procedure}: {kind} {date}"),
    Tracked(events.ContributionRuleEvent, _("contribution rule"), "{network} {year}",
            related=(("contributions.sizeclass", "rule_id"),)),
    Tracked(events.IndexValueEvent, _("index value"), "{series} {year}: {value}"),
    Tracked(events.SizeClassEvent, _("size class"), "{rule}: {min_population}–{max_population}"),
    Tracked(events.InvoiceEvent, _("invoice"), "{number} {municipality}",
            related=(("invoices.payment", "invoice_id"), ("invoices.reminder", "invoice_id"))),
    Tracked(events.PaymentEvent, _("payment"), "{invoice} {date}: {amount}"),
    Tracked(events.ReminderEvent, _("reminder"), "{invoice} {date} #{level}"),
    Tracked(events.PositionEvent, _("position"), "{person}: {role} {body}"),
    Tracked(events.PersonEvent, _("person"), "{id}",
            related=(("governance.position", "person_id"),)),
    Tracked(events.LetterEvent, _("member letter"), "{year}/{number}: {title}"),
    Tracked(events.UserEvent, _("account"), "{id}",
            related=((_GROUP_LINKS, "user_id"), (_USER_PERMISSIONS, "user_id"),
                     ("mfa.authenticator", "user_id"), ("wagtailcore.apitoken", "user_id"))),
    Tracked(events.UserGroupEvent, _("group membership"), "{user} – {group}"),
    Tracked(events.UserPermissionEvent, _("account permission"), "{user} – {permission}"),
    Tracked(events.GroupPermissionEvent, _("group permission"), "{group} – {permission}"),
    Tracked(events.IdentityProviderEvent, _("identity provider"), "{name}",
            related=(("governance.tenantlink", "provider_id"),)),
    Tracked(events.TenantLinkEvent, _("connected tenant"), "{provider}: {tenant_id}"),
    Tracked(events.AuthenticatorEvent, _("second factor"), "{user}: {type}"),
    Tracked(events.APITokenEvent, _("API token"), "{user}: {name}"),
)

BY_KIND: dict[str, Tracked] = {tracked.kind: tracked for tracked in TRACKED}
RANK: dict[str, int] = {tracked.kind: rank for rank, tracked in enumerate(TRACKED)}

# Titles that are the object itself, resolved at read time (a person's or account's name is not stored).
OWN_NAME = {"governance.person", _USER}
