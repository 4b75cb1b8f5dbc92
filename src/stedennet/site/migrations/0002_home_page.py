"""Replace Wagtail's welcome page with the network's home page, served at /."""

from django.db import migrations


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("site.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    if HomePage.objects.exists():
        return
    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    locale = Locale.objects.order_by("pk").first() or Locale.objects.create(language_code="nl")
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="site")
    root = Page.objects.get(depth=1)
    # Treebeard's path for the first child of the root page (Wagtail's welcome page was there).
    siblings = Page.objects.filter(depth=2).order_by("-path")
    last = siblings.first()
    step = int(last.path[-4:], 36) + 1 if last else 1
    path = root.path + _base36(step).rjust(4, "0")
    home = HomePage.objects.create(
        title="Home", draft_title="Home", slug="home", content_type=content_type, path=path, depth=2,
        numchild=0, url_path="/home/", locale=locale, live=True,
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Stedennet")


def _base36(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


class Migration(migrations.Migration):
    dependencies = [
        ("site", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_home_page, migrations.RunPython.noop)]
