"""Accounts use Django's user and group models; roles are groups (see constants.Role).

``Invitation``: a one-time link with which someone creates their own account. Only the SHA-256
of the link's token is stored. What the invitation is for (in governance: the person whose
account it becomes) is a generic relation, ``subject``, so that this app knows no higher app.
A subject may offer:

- ``user_id``: when set, the subject already has an account and its invitations are spent;
- ``organisation``: shown on the invitation page next to the name.

The app's ``post_migrate`` (see ``apps``) keeps the role groups in place.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from stedennet.accounts.constants import Role


class InvitationQuerySet(models.QuerySet):
    def for_subject(self, subject) -> "InvitationQuerySet":
        """The invitations for ``subject`` (any model instance)."""
        return self.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)


class Invitation(models.Model):
    """A one-time link that lets someone create their account."""

    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="invitations", verbose_name=_("account"))
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="accounts_invitation_subject")]

    def __str__(self) -> str:
        return f"{self.name} ({self.created_at:%Y-%m-%d})" if self.created_at else self.name


class IdentityProvider(models.Model):
    """An OpenID Connect provider the bureau has connected (e.g. a municipality's Microsoft Entra ID).

    ``slug`` is the provider id in the sign-in and callback addresses. For a multi-tenant app
    (Entra's ``/organizations/v2.0``), only the tenants linked to a member or partner (governance
    ``TenantLink``) may sign in; a single-tenant provider's issuer must match exactly.
    """

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True,
                            help_text=_("Part of the sign-in address; the redirect address to register is "
                                        "/account/oidc/<short name>/login/callback/."))
    server_url = models.URLField(_("issuer"), max_length=500,
                                 help_text=_("The issuer, whose /.well-known/openid-configuration is read; for "
                                             "a multi-tenant Microsoft Entra app "
                                             "https://login.microsoftonline.com/organizations/v2.0."))
    client_id = models.CharField(_("client id"), max_length=255)
    client_secret = models.CharField(_("client secret"), max_length=500)
    multi_tenant = models.BooleanField(
        _("multi-tenant"), default=False,
        help_text=_("Tokens carry their tenant; only tenants linked to a member or partner may sign in."))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Erasure(models.Model):
    """Someone the bureau erased: kept (in the database and in the erasure list outside it) so that
    a restored older backup cannot bring them back. No name, no address: only the keys and a
    keyed hash of the e-mail address."""

    person_id = models.PositiveBigIntegerField(_("person id"), null=True, blank=True)
    user_id = models.PositiveBigIntegerField(_("account id"), null=True, blank=True)
    email_hmac = models.CharField(_("e-mail (keyed hash)"), max_length=64, blank=True)
    erased_at = models.DateTimeField(_("erased at"))
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("erased by"))

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"{self.erased_at:%Y-%m-%d} #{self.person_id or self.user_id}"
