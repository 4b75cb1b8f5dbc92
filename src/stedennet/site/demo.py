"""Invented news items for a demonstration: ``load_demo_news()`` (``stedennet load-demo-news``).

Four news items under the site's news index (made first when there is none), every title ending
in "(demo)", every intro starting with "DEMO:" and every item flagged ``is_demo``, so the pages,
the lists, the home page and the Atom feed say that they are invented. Three are about a pillar
of the network (when ``load-g40`` has loaded the bodies); one has an image, drawn here (a plain
coloured plane with the word DEMO), so the renditions show.

Idempotent: an item is found by its slug under the index; one that exists is left as it is (with
what an editor did to it since), so a second run adds nothing.
"""

import datetime
import io
from dataclasses import dataclass

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model

from stedennet.governance.models import Body, BodyKind
from stedennet.site.models import NewsPage
from stedennet.site.services import news_index_ensure

IMAGE_TITLE = "Demo: kennisdag wonen"


@dataclass(frozen=True)
class DemoNews:
    slug: str
    title: str
    days_ago: int
    intro: str
    body: str
    pillar: str = ""
    image: bool = False


NEWS = (
    DemoNews(
        slug="demo-kennisdag-wonen",
        title="Kennisdag wonen in de middelgrote stad (demo)",
        days_ago=2,
        pillar="fysieke-pijler",
        image=True,
        intro="DEMO: een verzonnen bericht. Ruim honderd ambtenaren van de steden deelden op de kennisdag hoe "
              "zij betaalbare woningen sneller bouwen.",
        body="<p>DEMO: dit bericht is verzonnen voor een demonstratie van het platform.</p>"
             "<h2>Sneller bouwen</h2><p>In vier sessies lieten steden zien hoe zij vergunningen versnellen en "
             "samenwerken met corporaties.</p><ul><li>Flexwonen</li><li>Transformatie van kantoren</li></ul>",
    ),
    DemoNews(
        slug="demo-reactie-voorjaarsnota",
        title="Steden reageren op de voorjaarsnota (demo)",
        days_ago=9,
        pillar="sociale-pijler",
        intro="DEMO: een verzonnen bericht. De steden vragen het kabinet om structureel geld voor jeugdzorg en "
              "armoedebestrijding.",
        body="<p>DEMO: dit bericht is verzonnen.</p><p>Het bestuur stuurde een brief aan de Tweede Kamer met "
             "drie vragen voor de behandeling van de voorjaarsnota.</p>",
    ),
    DemoNews(
        slug="demo-themagroep-mobiliteit",
        title="Themagroep mobiliteit van start (demo)",
        days_ago=20,
        pillar="fysieke-pijler",
        intro="DEMO: een verzonnen bericht. Een nieuwe themagroep werkt aan bereikbaarheid van de steden in de regio.",
        body="<p>DEMO: dit bericht is verzonnen.</p><p>Ambtenaren die willen meedoen melden zich aan op de "
             "pagina van de themagroep.</p>",
    ),
    DemoNews(
        slug="demo-economie-en-werk",
        title="Werkbezoek aan een binnenstad in verandering (demo)",
        days_ago=34,
        pillar="pijler-economie-en-werk",
        intro="DEMO: een verzonnen bericht. Wethouders bezochten een binnenstad waar winkels plaatsmaken voor "
              "wonen en werken.",
        body="<p>DEMO: dit bericht is verzonnen.</p>",
    ),
)


def _demo_image():
    """The demo's one image: found by its title, else drawn and stored."""
    from PIL import Image as PillowImage
    from PIL import ImageDraw, ImageFont

    image_model = get_image_model()
    existing = image_model.objects.filter(title=IMAGE_TITLE).first()
    if existing is not None:
        return existing
    picture = PillowImage.new("RGB", (1200, 675), (31, 78, 121))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((60, 60, 1140, 615), outline=(255, 255, 255), width=12)
    draw.text((600, 338), "DEMO", fill=(255, 255, 255), anchor="mm", font=ImageFont.load_default(size=200))
    data = io.BytesIO()
    picture.save(data, format="PNG")
    return image_model.objects.create(
        title=IMAGE_TITLE, description="Demo-afbeelding: een blauw vlak met het woord DEMO",
        file=ImageFile(io.BytesIO(data.getvalue()), name="demo-kennisdag-wonen.png"),
    )


@transaction.atomic
def load_demo_news(*, today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    index = news_index_ensure()
    existing = set(NewsPage.objects.child_of(index).values_list("slug", flat=True))
    pillars = {body.slug: body for body in Body.objects.filter(kind=BodyKind.PILLAR)}
    added = 0
    for item in NEWS:
        if item.slug in existing:
            continue
        page = index.add_child(instance=NewsPage(
            title=item.title, slug=item.slug, date=today - datetime.timedelta(days=item.days_ago),
            intro=item.intro, body=item.body, pillar=pillars.get(item.pillar),
            image=_demo_image() if item.image else None, is_demo=True, locale=index.locale,
        ))
        page.save_revision().publish()
        added += 1
    return {"added": added, "total": NewsPage.objects.child_of(index).count()}
