"""Sign-in doors of the back office that Wagtail leaves open."""

from wagtail.admin.views.account import LogoutView as WagtailLogoutView

from stedennet.web.access import public


class BackOfficeLogoutView(WagtailLogoutView):
    """Wagtail's logout answers a GET with 405 but still deletes the session cookie, so a link or
    an image on any page could sign a person out. Only a POST (with its CSRF token) signs out."""

    http_method_names = ["post", "options"]

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


back_office_logout = public(BackOfficeLogoutView.as_view())
