"""``django.contrib.admin`` with the superuser-only site (``accounts.admin_site``) as ``admin.site``;
kept apart from the site because an app config module is imported before the models are ready."""

from django.contrib.admin.apps import AdminConfig


class SuperuserAdminConfig(AdminConfig):
    default_site = "stedennet.accounts.admin_site.SuperuserAdminSite"
