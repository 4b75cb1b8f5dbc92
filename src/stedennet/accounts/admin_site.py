"""The Django admin (``/django-admin/``) is a superuser's tool: the bureau works in the Wagtail
back office (``/admin/``), whose views keep our rules; Django's generic forms do not."""

from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class SuperuserAuthenticationForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "superuser_required": _("The Django admin is for superusers only; the network bureau works in the "
                                "back office at /admin/."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_superuser:
            raise ValidationError(self.error_messages["superuser_required"], code="superuser_required")


class SuperuserAdminSite(AdminSite):
    login_form = SuperuserAuthenticationForm

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser

