"""The audit trail's event tables: one per tracked model, filled by django-pghistory's triggers
on PostgreSQL (also for ``QuerySet.update()``, ``bulk_create`` and raw SQL) and by the receivers
of ``audit.sqlite`` on SQLite (ORM saves and deletes only).

Tracking is from above: each tracked model gets a proxy here (``Tracked...``), so its triggers
live in this app's migrations and the domain apps know nothing of the trail. Each event row holds
a snapshot of the tracked fields (the new row on insert and update, the old row on delete), the
label (``insert``, ``update``, ``delete``), when (``pgh_created_at``) and the context
(``pgh_context``: via, path or command, the user's id; see ``web.audit``).

No personal data is copied: a person is only their primary key and the fields about their place
(municipality, function); names, e-mail addresses, portfolios, expertise, usernames, secrets and
token hashes are left out, so an erasure never has to touch the trail. The event tables are
append-only on PostgreSQL (``PGHISTORY_APPEND_ONLY``: a trigger refuses UPDATE and DELETE), and
the back office has no view that changes them.
"""

import pghistory
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, User
from django.db import models
from wagtail.models import APIToken

from stedennet.accounts.models import IdentityProvider
from stedennet.contributions.models import ContributionRule, IndexValue, SizeClass
from stedennet.governance.models import Person, Position, TenantLink
from stedennet.invoices.models import Invoice, Payment, Reminder
from stedennet.letters.models import Letter
from stedennet.membership.models import MembershipPeriod, MembershipProcedure, ProcedureStep
from stedennet.registry.models import Municipality, PopulationFigure


def _proxy_meta(**extra):
    return type("Meta", (), {"proxy": True, "app_label": "audit", "default_permissions": (), **extra})


def _tracked(model, name: str):
    """A proxy of ``model`` in this app: its triggers are this app's migrations."""
    return type(name, (model,), {"__module__": __name__, "Meta": _proxy_meta()})


def _events(tracked, name: str, short: str, *, fields=None, exclude=None):
    """The event model of a tracked proxy: inserts, updates of a tracked field, deletes."""
    return pghistory.create_event_model(
        tracked,
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        fields=fields,
        exclude=exclude,
        # No reverse accessor on the tracked model, no constraint: the object may be deleted.
        obj_field=pghistory.ObjForeignKey(related_name="+", related_query_name="+"),
        model_name=name,
        app_label="audit",
        abstract=False,
        meta={
            "default_permissions": (),
            "indexes": [models.Index(fields=["-pgh_created_at"], name=f"audit_{short}_at")],
        },
    )


# --- registry, membership: members and populations -----------------------------------------

TrackedMunicipality = _tracked(Municipality, "TrackedMunicipality")
MunicipalityEvent = _events(TrackedMunicipality, "MunicipalityEvent", "mun")

TrackedPopulationFigure = _tracked(PopulationFigure, "TrackedPopulationFigure")
PopulationFigureEvent = _events(TrackedPopulationFigure, "PopulationFigureEvent", "pop")

TrackedMembershipPeriod = _tracked(MembershipPeriod, "TrackedMembershipPeriod")
MembershipPeriodEvent = _events(TrackedMembershipPeriod, "MembershipPeriodEvent", "period")

TrackedMembershipProcedure = _tracked(MembershipProcedure, "TrackedMembershipProcedure")
MembershipProcedureEvent = _events(TrackedMembershipProcedure, "MembershipProcedureEvent", "proc")

TrackedProcedureStep = _tracked(ProcedureStep, "TrackedProcedureStep")
ProcedureStepEvent = _events(TrackedProcedureStep, "ProcedureStepEvent", "step")

# --- contributions and invoices: fees -------------------------------------------------------

TrackedContributionRule = _tracked(ContributionRule, "TrackedContributionRule")
ContributionRuleEvent = _events(TrackedContributionRule, "ContributionRuleEvent", "rule")

TrackedIndexValue = _tracked(IndexValue, "TrackedIndexValue")
IndexValueEvent = _events(TrackedIndexValue, "IndexValueEvent", "index")

TrackedSizeClass = _tracked(SizeClass, "TrackedSizeClass")
SizeClassEvent = _events(TrackedSizeClass, "SizeClassEvent", "size")

TrackedInvoice = _tracked(Invoice, "TrackedInvoice")
# Not the documents as issued (seller, buyer with its contact address, the UBL): they never change.
InvoiceEvent = _events(TrackedInvoice, "InvoiceEvent", "inv", exclude=["seller", "buyer", "ubl_xml"])

TrackedPayment = _tracked(Payment, "TrackedPayment")
PaymentEvent = _events(TrackedPayment, "PaymentEvent", "pay")

TrackedReminder = _tracked(Reminder, "TrackedReminder")
ReminderEvent = _events(TrackedReminder, "ReminderEvent", "rem", exclude=["sent_to"])  # an address

# --- governance and letters: positions, people, member letters ---------------------------------

TrackedPosition = _tracked(Position, "TrackedPosition")
PositionEvent = _events(TrackedPosition, "PositionEvent", "pos")

TrackedPerson = _tracked(Person, "TrackedPerson")
# An allowlist: a personal field added to Person later is not copied into the trail unasked.
PersonEvent = _events(TrackedPerson, "PersonEvent", "person",
                      fields=["id", "municipality", "partner", "function", "user", "is_demo", "erased_at"])

TrackedLetter = _tracked(Letter, "TrackedLetter")
LetterEvent = _events(TrackedLetter, "LetterEvent", "letter", exclude=["body"])

# --- access rights ---------------------------------------------------------------------------

TrackedUser = _tracked(User, "TrackedUser")
# Only the rights: no username, names, e-mail, password hash; last_login would be an event per sign-in.
UserEvent = _events(TrackedUser, "UserEvent", "user", fields=["id", "is_active", "is_staff", "is_superuser"])

TrackedUserGroup = _tracked(User.groups.through, "TrackedUserGroup")
UserGroupEvent = _events(TrackedUserGroup, "UserGroupEvent", "ugroup")

TrackedUserPermission = _tracked(User.user_permissions.through, "TrackedUserPermission")
UserPermissionEvent = _events(TrackedUserPermission, "UserPermissionEvent", "uperm")

TrackedGroupPermission = _tracked(Group.permissions.through, "TrackedGroupPermission")
GroupPermissionEvent = _events(TrackedGroupPermission, "GroupPermissionEvent", "gperm")

TrackedIdentityProvider = _tracked(IdentityProvider, "TrackedIdentityProvider")
# An allowlist: never the client secret (nor a secret field added later).
IdentityProviderEvent = _events(TrackedIdentityProvider, "IdentityProviderEvent", "idp",
                                fields=["id", "name", "slug", "server_url", "client_id", "multi_tenant", "active"])

TrackedTenantLink = _tracked(TenantLink, "TrackedTenantLink")
TenantLinkEvent = _events(TrackedTenantLink, "TenantLinkEvent", "tenant",
                          fields=["id", "provider", "tenant_id", "municipality", "partner"])

TrackedAuthenticator = _tracked(Authenticator, "TrackedAuthenticator")
# The kind of factor only: its data holds the secrets; last_used_at would be an event per sign-in.
AuthenticatorEvent = _events(TrackedAuthenticator, "AuthenticatorEvent", "mfa", fields=["id", "user", "type"])

TrackedAPIToken = _tracked(APIToken, "TrackedAPIToken")
APITokenEvent = _events(TrackedAPIToken, "APITokenEvent", "token", exclude=["key_hash", "last_used_at"])
