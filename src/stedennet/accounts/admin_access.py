"""Who may do what in our parts of the Wagtail back office: one place for every domain app.

- ``is_bureau``: an active superuser, or an active user in the Netwerkbureau group with access
  to the admin (cached on the user object for the request).
- ``BureauPolicy``: Django's model permissions or membership of the bureau, limited to the
  ``actions`` a model allows at all (an issued invoice is never edited, a position never deleted).
- ``bureau_only``: our own admin views; anyone else gets 403.
- ``PolicyChecked``: our subclasses of Wagtail's model views, declared for AccessPolicyMiddleware.
"""

from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.views.defaults import permission_denied
from wagtail.permission_policies import ModelPermissionPolicy

from stedennet.accounts.constants import Role
from stedennet.web.access import ACCESS_ATTRIBUTE

ALL_ACTIONS = frozenset({"add", "change", "delete", "view"})
READ_ONLY = frozenset({"view"})


def is_bureau(user) -> bool:
    if user is None or isinstance(user, AnonymousUser) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_stedennet_is_bureau"):
        user._stedennet_is_bureau = (
            user.has_perm("wagtailadmin.access_admin") and user.groups.filter(name=Role.BUREAU).exists()
        )
    return user._stedennet_is_bureau


class BureauPolicy(ModelPermissionPolicy):
    def __init__(self, model, actions=ALL_ACTIONS):
        super().__init__(model)
        self.actions = frozenset(actions)

    def user_has_permission(self, user, action):
        if action not in self.actions:
            return False
        return super().user_has_permission(user, action) or is_bureau(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action in self.actions]
        users = get_user_model().objects
        if not actions:
            return users.none()
        permitted = super().users_with_any_permission(actions).values("pk")
        return users.filter(Q(pk__in=permitted) | Q(is_active=True, groups__name=Role.BUREAU)).distinct()


def bureau_only(view):
    """Wagtail's own wrapper has already sent visitors without admin access to the login page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_bureau(request.user):
            return permission_denied(request, PermissionDenied())
        return view(request, *args, **kwargs)

    setattr(wrapped, ACCESS_ATTRIBUTE, f"roles:{Role.BUREAU}")
    return wrapped


class PolicyChecked:
    """Wagtail's admin check and the model's permission policy decide, as for Wagtail's own views."""

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        setattr(view, ACCESS_ATTRIBUTE, "wagtail-permission-policy")
        return view
