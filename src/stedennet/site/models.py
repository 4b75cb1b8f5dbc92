"""Wagtail pages of the public site."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The network's front page: name, live member count and the member map come from the
    registry; the introduction is editable content."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from stedennet.site.selectors import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context())
        return context


class ContentPage(Page):
    """A plain page of text: about the network, contact, privacy."""

    body = RichTextField(_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    parent_page_types = ["site.HomePage", "site.ContentPage"]

    class Meta:
        verbose_name = _("content page")
