"""The person side of single sign-on (``stedennet.accounts.sso``; the OpenID Connect flow itself is
``stedennet.accounts.oidc``'s).

- ``tenant_for(provider, tenant_id)``: the tenant finder: the ``TenantLink`` of a provider's tenant,
  as the ``ConnectedTenant`` (the member municipality or partner it belongs to), or None.
- ``sso_account_link``: receiver of ``accounts.sso.sso_signed_in``: an account that signed in with
  an e-mail address its provider vouches for (``email_verified``, Entra's ``xms_edov``) becomes
  the account of the one person with that address who has none yet, if that person belongs to
  the tenant's organisation (when the tenant is known); the account then gets the role that fits
  the person (as an accepted invitation would). Otherwise nothing: the account keeps no role
  until the bureau gives one.
- ``account_for(provider, tenant, email)``: the account finder: a first sign-in with a verified
  address joins the existing account of the person with that address, if the person belongs to
  the tenant's organisation; never a back-office account (staff sign in with their password and
  second factor).
- ``sso_connect()``: registers all three (idempotent).
"""

import uuid

from django.contrib.auth.models import Group
from django.db import transaction

from stedennet.accounts.sso import ConnectedTenant, account_finder_register, sso_signed_in, tenant_finder_register
from stedennet.governance.invitations import account_role_for
from stedennet.governance.models import Person, TenantLink

__all__ = ["account_for", "sso_account_link", "sso_connect", "tenant_for"]

MUNICIPALITY, PARTNER = "municipality", "partner"


def tenant_for(provider, tenant_id: str) -> ConnectedTenant | None:
    """The organisation a provider's tenant is connected to, if any."""
    try:
        tenant = uuid.UUID(str(tenant_id))
    except ValueError:
        return None
    link = (TenantLink.objects.select_related("municipality", "partner")
            .filter(provider=provider, tenant_id=tenant).first())
    if link is None:
        return None
    kind, pk = (MUNICIPALITY, link.municipality_id) if link.municipality_id else (PARTNER, link.partner_id)
    return ConnectedTenant(tenant_id=str(tenant), organisation=str(link.organisation), key=f"{kind}:{pk}")


def _organisation_filter(tenant: ConnectedTenant | None) -> dict:
    if tenant is None or not tenant.key:
        return {}
    kind, _colon, pk = tenant.key.partition(":")
    return {"municipality_id": int(pk)} if kind == MUNICIPALITY else {"partner_id": int(pk)}


def account_for(provider, tenant: ConnectedTenant | None, email: str):
    """The account of the one person with this address in the tenant's organisation, if it may be joined."""
    if tenant is None or not email:
        return None
    people = list(Person.objects.select_related("user").filter(
        email__iexact=email, user__isnull=False, erased_at__isnull=True, **_organisation_filter(tenant))[:2])
    if len(people) != 1:
        return None
    user = people[0].user
    if not user.is_active or user.is_staff or user.is_superuser:
        return None
    return user


def sso_account_link(sender, *, user, email: str, email_verified: bool, tenant: ConnectedTenant | None = None,
                     **kwargs) -> Person | None:
    """Link ``user`` to the person with this verified e-mail address; returns the person, if linked."""
    if not email_verified or not email or Person.objects.filter(user=user).exists():
        return None
    with transaction.atomic():
        candidates = list(
            Person.objects.select_for_update()
            .filter(email__iexact=email, user__isnull=True, erased_at__isnull=True, **_organisation_filter(tenant))[:2]
        )
        if len(candidates) != 1:
            return None
        person = candidates[0]
        person.user = user
        person.save(update_fields=["user"])
        role = account_role_for(person)
        if role and not user.groups.exists():
            user.groups.add(Group.objects.get_or_create(name=role)[0])
    return person


def sso_connect() -> None:
    """Answer for tenants and link accounts to persons (from ``GovernanceConfig.ready``)."""
    tenant_finder_register(tenant_for)
    account_finder_register(account_for)
    sso_signed_in.connect(sso_account_link, dispatch_uid="stedennet.governance.sso_account_link")
