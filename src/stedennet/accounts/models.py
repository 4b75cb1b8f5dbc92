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
