import datetime
import re

import pytest
from django.urls import reverse

from stedennet.membership.tests.factories import MembershipPeriodFactory
from stedennet.registry.tests.factories import PopulationFigureFactory


def rows(html: str) -> list[str]:
    return re.findall(r'data-cbs-code="(GM\d{4})"', html)


class TestHome:
    def test_shows_the_network_and_its_live_member_count(self, g40, client):
        response = client.get("/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "Stedennetwerk G40" in html
        assert re.search(r'data-testid="member-count">41 leden<', html)

    def test_the_map_marks_every_member_among_all_municipalities(self, g40, client):
        from xml.etree import ElementTree

        html = client.get("/").content.decode()
        src = re.search(r'<img class="member-map" src="([^"]+)" alt="Kaart van Nederland met de leden van G40"', html)
        assert src, "the home page shows the map with a text alternative"
        assert "41 van de 342 Nederlandse gemeenten zijn lid" in html
        response = client.get(src.group(1).replace("&amp;", "&"))
        assert response["Content-Type"].startswith("image/svg+xml")
        assert "immutable" in response["Cache-Control"]
        svg = ElementTree.fromstring(response.content)  # noqa: S314 - our own response
        ns = {"svg": "http://www.w3.org/2000/svg"}
        assert len(svg.findall(".//svg:path", ns)) == 342
        members = svg.findall(".//svg:g[@class='members']/svg:path", ns)
        assert len(members) == 41
        assert "GM0362" in {p.get("data-cbs-code") for p in members}
        assert svg.find("svg:title", ns).text == "Kaart van Nederland met de leden van G40"

    def test_the_map_address_changes_with_the_members(self, g40, client):
        from stedennet.membership.models import MembershipPeriod

        before = re.search(r'src="(/leden/kaart.svg\?v=\w+)"', client.get("/").content.decode()).group(1)
        period = MembershipPeriod.objects.get(municipality__cbs_code="GM0362")
        period.end_date = datetime.date(2023, 12, 31)
        period.save()
        after = re.search(r'src="(/leden/kaart.svg\?v=\w+)"', client.get("/").content.decode()).group(1)
        assert before != after
        stale = client.get(before)
        assert "immutable" not in stale["Cache-Control"]  # an old address gets today's map, briefly cached
        assert stale.content.count(b"<path") == 342

    def test_count_follows_the_registry(self, g40, client):
        from stedennet.membership.models import MembershipPeriod

        MembershipPeriod.objects.filter(municipality__cbs_code="GM0362").update(end_date="2023-12-31")
        assert re.search(r'data-testid="member-count">40 leden<', client.get("/").content.decode())
        assert "G40" in client.get("/").content.decode()  # the name stays as configured

    def test_english_is_one_switch_away(self, g40, client):
        response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
        assert response.status_code == 302
        html = client.get("/").content.decode()
        assert '<html lang="en"' in html
        assert re.search(r'data-testid="member-count">41 members<', html)


class TestMemberList:
    def test_lists_every_member_with_population_date_and_source(self, g40, client):
        html = client.get("/leden/").content.decode()
        assert len(rows(html)) == 41
        assert "95.014" in html  # Amstelveen, 1 January 2024 (Dutch thousands separator)
        assert "1 januari 2024" in html
        assert "CBS, voorlopig" in html

    @pytest.mark.parametrize(
        ("query", "first", "last"),
        [
            ("", "GM0796", "GM0193"),  # 's-Hertogenbosch ... Zwolle, by CBS name
            ("?sort=population&order=desc", "GM0772", "GM0106"),  # Eindhoven ... Assen
            ("?sort=population", "GM0772", "GM0106"),  # population starts with the largest
            ("?sort=population&order=asc", "GM0106", "GM0772"),
            ("?sort=member_since&order=desc", "GM0362", None),
        ],
    )
    def test_sorting(self, g40, client, query, first, last):
        codes = rows(client.get(f"/leden/{query}").content.decode())
        assert codes[0] == first
        if last:
            assert codes[-1] == last

    def test_active_sort_is_announced(self, g40, client):
        html = client.get("/leden/?sort=population&order=desc").content.decode()
        assert 'aria-sort="descending"' in html
        assert 'href="?sort=population&amp;order=asc"' in html

    def test_the_first_click_on_population_sorts_the_largest_first(self, g40, client):
        html = client.get("/leden/").content.decode()
        link = re.search(r'href="(\?sort=population[^"]*)"', html)[1].replace("&amp;", "&")
        assert link == "?sort=population&order=desc"
        followed = client.get(f"/leden/{link}").content.decode()
        assert rows(followed)[0] == "GM0772"  # Eindhoven, the largest member
        assert re.search(r'aria-sort="descending"><a class="utrecht-link" href="\?sort=population', followed)
        # Name and member-since columns still start ascending.
        assert 'href="?sort=name&amp;order=desc"' in html  # name is sorted ascending now: next is descending
        assert 'href="?sort=member_since&amp;order=asc"' in html

    def test_unknown_sort_falls_back_to_name(self, g40, client):
        assert rows(client.get("/leden/?sort=drop table").content.decode())[0] == "GM0796"

    def test_constant_number_of_queries(self, g40, client, django_assert_max_num_queries):
        with django_assert_max_num_queries(6) as captured:
            client.get("/leden/?sort=population")
        baseline = len(captured)
        for _ in range(20):
            period = MembershipPeriodFactory(network=g40)
            PopulationFigureFactory(municipality=period.municipality)
        with django_assert_max_num_queries(baseline):
            response = client.get("/leden/?sort=population")
        assert len(rows(response.content.decode())) == 61


class TestMemberDetail:
    def test_amstelveen_shows_both_2022_figures_and_its_history(self, g40, client):
        response = client.get("/leden/amstelveen/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "92.331" in html and "92.363" in html
        assert "eigen telling" in html.lower()
        assert "lid sinds 1 juli 2022" in html
        assert "amstelveenweb.com" in html

    def test_a_founding_member_says_its_date_is_unknown(self, g40, client):
        html = client.get("/leden/alkmaar/").content.decode()
        assert "datum onbekend" in html

    def test_a_municipality_that_is_not_a_member_is_not_found(self, g40, client):
        assert client.get("/leden/den-haag/").status_code == 404
        assert client.get("/leden/nergenshuizen/").status_code == 404

    def test_constant_number_of_queries(self, g40, client, django_assert_max_num_queries):
        with django_assert_max_num_queries(8):
            client.get("/leden/amstelveen/")


class TestPartners:
    def test_lists_the_partners(self, g40, client):
        html = client.get("/partners/").content.decode()
        for name in ("VNG", "IPO", "Platform31", "Den Haag", "Amsterdam", "Rotterdam", "Utrecht"):
            assert name in html


def test_the_member_page_title_is_the_name_only(g40, client):
    html = client.get("/leden/amstelveen/").content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "Amstelveen" in title and "<" not in title and len(title) < 80
