"""Wagtail pages of the public site: the home page, plain content pages and the news."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from stedennet.governance.access import viewer_for
from stedennet.governance.models import BodyKind

# What an editor may use in a news item's body: Wagtail's standard features without embeds
# (an embed would load a third party's frame, which the site's content security policy refuses).
# Wagtail keeps only these in what it stores (the editor's converter drops everything else).
NEWS_BODY_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "hr", "link", "document-link", "image"]


class HomePage(Page):
    """The network's front page: name, live member count and the member map come from the
    registry; the introduction is editable content; the latest news and the coming events that
    the viewer may see are read per request (``site.selectors.home_news_and_events``)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from stedennet.site.selectors import home_context, home_news_and_events  # (they read these models)

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context())
        # Per viewer (the events depend on who looks): never put this part in a shared cache.
        context.update(home_news_and_events(viewer_for(request.user)))
        return context


class ContentPage(Page):
    """A plain page of text: about the network, contact, privacy."""

    body = RichTextField(_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    parent_page_types = ["site.HomePage", "site.ContentPage"]

    class Meta:
        verbose_name = _("content page")


class NewsIndexPage(Page):
    """The news of the site (one, under the home page, at /nieuws/): its live news items, newest
    first, ten to a page; the Atom feed is /nieuws/feed.atom."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["site.HomePage"]
    subpage_types = ["site.NewsPage"]

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request, *args, **kwargs):
        from stedennet.site.selectors import news_list_page

        context = super().get_context(request, *args, **kwargs)
        context["news"] = news_list_page(self, request.GET.get("pagina"))
        return context


class NewsPage(Page):
    """A news item: its date, a short introduction (for lists, the home page and the feed), the
    body, an optional image and the pillar it is about. Invented items are flagged demo."""

    date = models.DateField(_("date"), default=timezone.localdate, db_index=True)
    intro = models.TextField(_("introduction"), max_length=600, blank=True,
                             help_text=_("One or two sentences, shown in lists, on the home page and in the feed."))
    body = RichTextField(_("body"), blank=True, features=NEWS_BODY_FEATURES)
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("image"))
    pillar = models.ForeignKey("governance.Body", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="news_pages", limit_choices_to={"kind": BodyKind.PILLAR},
                               verbose_name=_("pillar"))
    is_demo = models.BooleanField(_("demo data"), default=False,
                                  help_text=_("Invented for demonstration; not real news of the network."))

    content_panels = [*Page.content_panels, FieldPanel("date"), FieldPanel("intro"), FieldPanel("image"),
                      FieldPanel("pillar"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["site.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["news_index"] = self.get_parent()
        return context
