"""Single sign-on (OpenID Connect) hooks, for the apps above accounts to answer what this app
cannot know (which organisation a tenant is, which person a signed-in account belongs to).

- ``tenant_finder_register(finder)``: ``finder(provider, tenant_id)`` answers the
  ``ConnectedTenant`` for a tenant of an ``IdentityProvider`` (governance: a ``TenantLink`` to a
  member municipality or a partner), or None. The first answer wins; without one the tenant is
  not connected (fail closed: a multi-tenant provider then lets no one in).
- ``account_finder_register(finder)``: ``finder(provider, tenant, email)`` answers the existing
  account that a first sign-in through a provider with that verified address may join (governance:
  the account of the person with that address in the tenant's organisation), or None. Without an
  answer, an address that an account already has refuses the sign-in (``email_in_use``).
- ``sso_signed_in``: a signal sent after someone signed in through a provider (in the sign-in's
  request, after the account exists): ``sender`` the model ``IdentityProvider``, ``provider``
  (the instance), ``request``, ``user``, ``email`` and ``email_verified`` (the provider vouches for the address:
  ``email_verified``, or Entra's ``xms_edov``), ``tenant`` (the ``ConnectedTenant`` or None) and
  ``claims`` (the verified ID token). Governance links the account to the person with that
  verified address.
- ``ADMIN_MENU``: the hook of the back-office menu group "Sign-in" (``accounts.wagtail_hooks``).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.dispatch import Signal

# The back-office menu group "Sign-in" (identity providers): a viewset of a higher app with
# ``menu_hook = ADMIN_MENU`` appears in it (governance: the connected tenants).
ADMIN_MENU = "register_sign_in_menu_item"


@dataclass(frozen=True)
class ConnectedTenant:
    tenant_id: str
    organisation: str  # the member or partner's name, as shown to people
    key: str = ""  # what the finder needs to find the organisation again (e.g. "municipality:12")


TenantFinder = Callable[..., ConnectedTenant | None]

AccountFinder = Callable[..., object | None]

_tenant_finders: list[TenantFinder] = []
_account_finders: list[AccountFinder] = []

sso_signed_in = Signal()


def tenant_finder_register(finder: TenantFinder) -> TenantFinder:
    """Ask ``finder(provider, tenant_id)`` which organisation a tenant is; registering twice is harmless."""
    if finder not in _tenant_finders:
        _tenant_finders.append(finder)
    return finder


def tenant_find(provider, tenant_id: str) -> ConnectedTenant | None:
    """The connected organisation of ``tenant_id`` at ``provider`` (an ``IdentityProvider``), if any."""
    for finder in _tenant_finders:
        tenant = finder(provider, tenant_id)
        if tenant is not None:
            return tenant
    return None


def account_finder_register(finder: AccountFinder) -> AccountFinder:
    """Ask ``finder(provider, tenant, email)`` which existing account a first sign-in joins."""
    if finder not in _account_finders:
        _account_finders.append(finder)
    return finder


def account_find(provider, tenant: ConnectedTenant | None, email: str):
    """The existing account a first sign-in with this verified ``email`` joins, if any finder knows one."""
    for finder in _account_finders:
        user = finder(provider, tenant, email)
        if user is not None:
            return user
    return None
