"""Public-site writes.

Flows owned here:
- making sure the site has its home page at / (``home_page_ensure``). The migration
  ``0002_home_page`` does this on a new database; this function restores it where the page
  tree was emptied (a truncated test database, a botched manual clean-up).
- making sure the home page has its news index at /nieuws/ (``news_index_ensure``), called by
  ``stedennet load-g40`` and ``stedennet load-demo-news``; an index that exists (perhaps renamed
  or moved by an editor) is left as it is. The bureau writes the news: its group may add, edit
  and publish (and unpublish) pages below the index, nowhere else in the page tree.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Locale, Page, Site

from stedennet.accounts.constants import Role
from stedennet.site.models import HomePage, NewsIndexPage

__all__ = [
    "home_page_ensure",
    "news_index_ensure",
]

NEWS_SLUG = "nieuws"
NEWS_EDITOR_PERMISSIONS = ("add_page", "change_page", "publish_page")


@transaction.atomic
def home_page_ensure() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        locale = Locale.objects.order_by("pk").first() or Locale.objects.create(language_code="nl")
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        home = root.add_child(instance=HomePage(title="Home", slug="home", locale=locale))
    if not Site.objects.filter(is_default_site=True, root_page=home).exists():
        Site.objects.filter(is_default_site=True).delete()
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                            site_name="Stedennet")
    return home


@transaction.atomic
def news_index_ensure() -> NewsIndexPage:
    """The site's news index, made (live, titled "Nieuws") under the home page when there is none."""
    index = NewsIndexPage.objects.order_by("path").first()
    if index is None:
        index = _news_index_create()
    _news_editors_ensure(index)
    return index


def _news_index_create() -> NewsIndexPage:
    home = home_page_ensure()
    taken = set(home.get_children().values_list("slug", flat=True))
    slug, number = NEWS_SLUG, 1
    while slug in taken:  # an editor's own page of that name stays; the index takes the next free one
        number += 1
        slug = f"{NEWS_SLUG}-{number}"
    index = home.add_child(instance=NewsIndexPage(title="Nieuws", slug=slug, locale=home.locale))
    index.save_revision().publish()
    return index


def _news_editors_ensure(index: NewsIndexPage) -> None:
    """The bureau's group (made after every migrate) may write the news below the index."""
    bureau = Group.objects.filter(name=Role.BUREAU).first()
    if bureau is None:
        return
    for permission in Permission.objects.filter(content_type__app_label="wagtailcore",
                                                codename__in=NEWS_EDITOR_PERMISSIONS):
        GroupPagePermission.objects.get_or_create(group=bureau, page=index, permission=permission)
