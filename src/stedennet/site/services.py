"""Public-site writes.

Flows owned here:
- making sure the site has its home page at / (``home_page_ensure``). The migration
  ``0002_home_page`` does this on a new database; this function restores it where the page
  tree was emptied (a truncated test database, a botched manual clean-up).
"""

from django.db import transaction
from wagtail.models import Locale, Page, Site

from stedennet.site.models import HomePage

__all__ = [
    "home_page_ensure",
]


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
