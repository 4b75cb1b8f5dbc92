"""The shared layout: the menu offers only pages the viewer may open, the header says who is
signed in, the page title names the network once, the network's theme and favicon are served."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from stedennet.governance.services import bodies_seed_load
from stedennet.site.services import home_page_ensure

DEMO_PASSWORDS = {"bureau": "demo-bureau-g40", "bestuurder": "demo-bestuurder-g40",
                  "ambtenaar": "demo-ambtenaar-g40", "partner": "demo-partner-g40"}


@pytest.fixture
def demo(g40):
    home_page_ensure()
    network = g40
    bodies_seed_load(network=network)
    call_command("load_demo_accounts", stdout=io.StringIO())
    call_command("load_demo_governance", stdout=io.StringIO())
    return network


def client_for(username: str | None) -> Client:
    client = Client()
    if username:
        user = get_user_model().objects.get(username=username)
        assert user.check_password(DEMO_PASSWORDS[username])
        client.force_login(user)
    return client


def menu_links(html: str) -> list[str]:
    menu = re.search(r'<nav id="site-nav".*?</nav>', html, re.S)[0]
    return re.findall(r'href="([^"]+)"', menu)


EXPECTED_MEMBER_LINKS = {
    # viewer: (questions, expertise directory, my groups)
    None: (False, False, False),
    "partner": (True, False, True),
    "ambtenaar": (True, True, True),
    "bestuurder": (True, True, True),
    "bureau": (True, True, True),
}


@pytest.mark.parametrize("username", list(EXPECTED_MEMBER_LINKS))
def test_the_menu_offers_exactly_the_pages_the_viewer_may_open(demo, username):
    client = client_for(username)
    links = menu_links(client.get("/").content.decode())
    questions, experts, my_groups = EXPECTED_MEMBER_LINKS[username]
    assert ("/vragen/" in links) is questions
    assert ("/deskundigen/" in links) is experts
    assert ("/mijn/groepen/" in links) is my_groups
    for link in links:
        response = client.get(link)
        who = username or "anonymous"
        assert response.status_code == 200, f"{who}: menu link {link} answers {response.status_code}"


@pytest.mark.parametrize("username", ["bureau", "bestuurder", "ambtenaar", "partner"])
def test_the_header_shows_who_is_signed_in_with_a_sign_out_button(demo, username):
    from django.contrib.auth import get_user_model

    from stedennet.governance.models import Person

    user = get_user_model().objects.get(username=username)
    person = Person.objects.filter(user=user).first()
    expected = person.name if person else (user.get_full_name() or username)
    html = client_for(username).get("/leden/").content.decode()
    signed_in = re.search(r'data-testid="signed-in-as">(.*?)</p>', html, re.S)[1]
    assert f"<strong>{expected}</strong>" in signed_in
    form = re.search(r'<form[^>]*method="post"[^>]*action="/uitloggen/"[^>]*>.*?</form>', html, re.S)
    assert form and 'data-testid="sign-out"' in form[0] and 'type="submit"' in form[0]
    assert "csrfmiddlewaretoken" in form[0]


def test_an_anonymous_header_offers_sign_in_and_no_name(demo):
    html = client_for(None).get("/leden/").content.decode()
    assert 'data-testid="signed-in-as"' not in html
    assert 'href="/inloggen/"' in html


def test_the_page_title_names_the_network_once(demo):
    client = client_for(None)
    home = client.get("/").content.decode()
    assert re.search(r"<title>(.*?)</title>", home, re.S)[1].strip() == "Stedennetwerk G40"
    members = client.get("/leden/").content.decode()
    assert re.search(r"<title>(.*?)</title>", members, re.S)[1].strip() == "Leden · G40"


def test_pages_wear_the_networks_theme_not_utrecht(demo):
    html = client_for(None).get("/").content.decode()
    assert "utrecht-theme" not in html and "nlds/tokens" not in html  # Gemeente Utrecht's proprietary tokens
    assert 'class="voorbeeld-theme stedennet-theme"' in html
    theme_url = re.search(r'href="(/thema\.css\?v=[0-9a-f]+)"', html)[1]
    response = client_for(None).get(theme_url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/css")
    css = response.content.decode()
    assert "--basis-color-accent-1-color-default: #0b5c71;" in css  # the G40 seed's (placeholder) colour
    assert "--utrecht-page-footer-background-color: #0b5c71;" in css
    assert "immutable" in response["Cache-Control"]


def test_the_footer_is_the_networks(demo):
    html = client_for(None).get("/").content.decode()
    footer = re.search(r'<footer.*?</footer>', html, re.S)[0]
    assert "(middel)grote steden" in footer
    assert 'href="https://www.g40stedennetwerk.nl/"' in footer


def test_favicon_ico_answers_with_an_icon_in_the_networks_colour(demo):
    from PIL import Image

    response = client_for(None).get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    icon = Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO"
    assert icon.convert("RGB").getpixel((icon.width // 2, 2))[:3] == (11, 92, 113)
    svg = client_for(None).get("/favicon.svg")
    assert svg.status_code == 200 and 'fill="#0b5c71"' in svg.content.decode()
    html = client_for(None).get("/").content.decode()
    assert re.search(r'<link rel="icon" href="/favicon\.svg\?v=[0-9a-f]+" type="image/svg\+xml">', html)


def test_the_english_map_caption_is_english(demo):
    client = client_for(None)
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    caption = re.search(r"<figcaption.*?</figcaption>", html, re.S)[0]
    assert "municipalities from CBS Wijken en Buurten 2024, simplified" in caption
    assert "gemeenten" not in caption and "vereenvoudigd" not in caption


def test_source_links_on_a_member_page_are_styled_and_titled(demo):
    html = client_for(None).get("/leden/amstelveen/").content.decode()
    history = html[html.index('id="history"'):html.index('id="timeline"')]
    links = re.findall(r"<a ([^>]*)>([^<]*)</a>", history)
    assert links, "the membership source has links"
    for attributes, text in links:
        assert 'class="utrecht-link"' in attributes and 'title="' in attributes
        assert not text.startswith("http"), f"a bare address as link text: {text}"
    texts = [text for _, text in links]
    assert "Gemeente Amstelveen, persbericht 1 juni 2022" in texts
    assert 'href="https://amstelveenweb.com/fotodisp&amp;fotodisp=4976"' in history


def test_the_member_map_marks_members_in_the_networks_colour(demo):
    client = client_for(None)
    html = client.get("/").content.decode()
    map_url = re.search(r'<img class="member-map" src="([^"]+)"', html)[1].replace("&amp;", "&")
    svg = client.get(map_url).content.decode()
    assert 'fill="#0b5c71" class="members"' in svg
