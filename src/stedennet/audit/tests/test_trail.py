"""The audit trail: who changed what and when, read by the bureau in /admin/audit/.

Most tests run on both databases (triggers on PostgreSQL, the signal receivers of ``audit.sqlite``
on SQLite); the bulk update and the append-only protection are PostgreSQL's."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stedennet.__main__ import main
from stedennet.accounts.constants import Role
from stedennet.accounts.services import roles_ensure
from stedennet.audit import models as events
from stedennet.audit.tracking import BY_KIND, TRACKED
from stedennet.governance.models import Position
from stedennet.governance.tests.factories import person_with_account
from stedennet.registry.models import Municipality, PopulationFigure
from stedennet.web.audit import audit_context, audit_paused

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the fallback is SQLite's")

TRAIL = "/admin/audit/"
ARMOEDE = "themagroep-armoede-en-schulden"  # a civil-service theme group anyone may join


@pytest.fixture
def bureau(make_user):
    return make_user("bureau", Role.BUREAU)


@pytest.fixture
def trail(client, bureau, back_office_login):
    """GET the trail as the bureau: the rows of the events table as dicts of their data attributes."""
    back_office_login(client, bureau)

    def read(**query):
        response = client.get(TRAIL, query)
        assert response.status_code == 200
        return rows_of(response.content.decode())

    return read


def rows_of(html: str) -> list[dict]:
    rows = []
    for match in re.finditer(r'<tr data-testid="event" (.*?)>(.*?)</tr>', html, re.S):
        row = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', match.group(1)))
        row["who"] = re.search(r'data-testid="who">(.*?)</td>', match.group(2), re.S).group(1).strip()
        row["when"] = re.search(r'<time datetime="([^"]+)"', match.group(2)).group(1)
        row["where"] = " ".join(re.search(r'data-testid="where">(.*?)</td>', match.group(2), re.S).group(1).split())
        row["changes"] = {field: (before, after) for field, before, after in re.findall(
            r'<li data-field="([^"]+)" data-before="([^"]*)" data-after="([^"]*)"', match.group(2))}
        rows.append(row)
    return rows


def amstelveen_figure() -> PopulationFigure:
    return (PopulationFigure.objects.current().filter(municipality__cbs_code="GM0362")
            .order_by("-reference_date").first())


# --- the "done when": a changed population figure, with who and when --------------------------

def test_a_population_figure_changed_by_the_import_command_shows_when_and_which_command(g40, trail, tmp_path,
                                                                                        capsys, monkeypatch):
    # The command runs in this process, inside the test's transaction: it must not close the connection.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    old = amstelveen_figure()
    csv = tmp_path / "inwoners.csv"
    csv.write_text(f"cbs_code,inhabitants\nGM0362,{old.inhabitants + 123}\n", encoding="utf-8")
    before = timezone.now()
    main(["stedennet", "import-population", str(csv), "--source", old.source.replace("_", "-"),
          "--date", old.reference_date.isoformat()])
    assert "changed GM0362" in capsys.readouterr().out
    new = amstelveen_figure()
    assert new.pk != old.pk

    rows = trail(kind="registry.populationfigure")
    added = next(row for row in rows if row["object"] == f"registry.populationfigure:{new.pk}")
    assert added["action"] == "insert" and added["via"] == "cli" and added["where"].endswith("import_population")
    assert added["changes"]["inhabitants"][1].replace(".", "") == str(old.inhabitants + 123)
    assert datetime.datetime.fromisoformat(added["when"]) >= before.replace(microsecond=0)
    superseded = next(row for row in rows if row["object"] == f"registry.populationfigure:{old.pk}")
    assert superseded["action"] == "update" and "superseded_by" in superseded["changes"]
    assert superseded["user-id"] == "" and added["user-id"] == ""  # a command: nobody signed in


def test_a_population_figure_added_in_the_back_office_shows_who_and_when(g40, client, bureau, trail):
    old = amstelveen_figure()
    response = client.post(reverse("wagtailsnippets_registry_populationfigure:add"), {
        "municipality": old.municipality_id, "reference_date": "2026-01-01", "inhabitants": "97001",
        "source": old.source, "source_note": "", "source_url": ""})
    assert response.status_code == 302
    figure = PopulationFigure.objects.get(municipality=old.municipality_id, reference_date="2026-01-01")

    [row] = trail(object=f"registry.populationfigure:{figure.pk}")
    assert (row["action"], row["user-id"], row["who"], row["via"]) == ("insert", str(bureau.pk), "bureau", "web")
    assert row["where"].endswith(reverse("wagtailsnippets_registry_populationfigure:add"))
    assert row["changes"]["inhabitants"][0] == "" and row["changes"]["inhabitants"][1].replace(".", "") == "97001"
    # The municipality's history holds its figures too.
    assert f"registry.populationfigure:{figure.pk}" in {
        r["object"] for r in trail(object=f"registry.municipality:{old.municipality_id}")}


def test_a_municipality_edited_in_the_back_office_shows_the_change(g40, client, bureau, trail):
    town = Municipality.objects.get(cbs_code="GM0362")
    response = client.post(reverse("wagtailsnippets_registry_municipality:edit", args=[town.pk]), {
        "cbs_code": town.cbs_code, "name": town.name, "common_name": "Amstelveen aan de Amstel",
        "slug": town.slug, "province": town.province_id})
    assert response.status_code == 302
    [row] = [row for row in trail(object=f"registry.municipality:{town.pk}") if row["kind"] == "registry.municipality"]
    assert (row["action"], row["user-id"]) == ("update", str(bureau.pk))
    # The G40 was loaded before the trail began: this first event shows the whole row as it is now.
    assert row["changes"]["common_name"] == ("", "Amstelveen aan de Amstel")
    # Each row of the listing links to its history.
    listing = client.get(reverse("wagtailsnippets_registry_municipality:list"), {"q": "GM0362"})
    assert f'href="{TRAIL}?object=registry.municipality%3A{town.pk}"' in listing.content.decode()


# --- positions and access rights -----------------------------------------------------------

def test_joining_and_leaving_a_theme_group_are_in_the_trail_with_the_member(g40_bodies, trail):
    member = person_with_account(username="ambtenaar")
    browser = Client()
    browser.force_login(member.user)
    assert browser.post(reverse("governance:group_join", kwargs={"slug": ARMOEDE})).status_code == 302
    assert browser.post(reverse("governance:group_leave", kwargs={"slug": ARMOEDE})).status_code == 302
    position = Position.objects.get(person=member, body__slug=ARMOEDE)

    rows = trail(object=f"governance.position:{position.pk}")
    assert [(row["action"], row["user-id"]) for row in rows] == [("update", str(member.user.pk)),
                                                                 ("insert", str(member.user.pk))]
    assert rows[0]["changes"]["end_date"][0] == "—"  # open before, ended now
    assert rows[0]["changes"]["end_date"][1]
    # The person's history holds their positions; no name or e-mail is in the trail.
    assert f"governance.position:{position.pk}" in {r["object"] for r in trail(object=f"governance.person:{member.pk}")}


def test_a_group_membership_given_and_taken_is_in_the_trail(db, trail, bureau):
    groups = roles_ensure()
    someone = get_user_model().objects.create_user("iemand", password="x")
    with audit_context(via="web", path="/admin/users/", user=bureau.pk):
        someone.groups.add(groups[Role.BUREAU])
        someone.is_staff = True
        someone.save()
    with audit_context(via="web", path="/admin/users/", user=bureau.pk):
        groups[Role.BUREAU].user_set.remove(someone)  # from the other side

    rows = trail(object=f"auth.user:{someone.pk}")
    links = [row for row in rows if row["kind"] == "auth.user_groups"]
    assert [row["action"] for row in links] == ["delete", "insert"]
    assert all(row["user-id"] == str(bureau.pk) for row in links)
    assert links[1]["changes"]["group"] == ("", Role.BUREAU)
    staff = next(row for row in rows if row["kind"] == "auth.user" and row["action"] == "update")
    assert staff["changes"] == {"is_staff": ("Nee", "Ja")} or staff["changes"] == {"is_staff": ("No", "Yes")}
    # Filtered by who: the bureau's changes, and none of someone else's.
    assert {row["user-id"] for row in trail(user="bureau")} == {str(bureau.pk)}


# --- how it is stored -----------------------------------------------------------------------

@on_postgresql
def test_a_bulk_update_is_caught_by_the_trigger(g40, trail, bureau):
    figure = amstelveen_figure()
    with audit_context(via="cli", command="shell", user=bureau.pk):
        PopulationFigure.objects.filter(pk=figure.pk).update(source_note="raw correction")
        with connection.cursor() as cursor:
            cursor.execute("UPDATE registry_municipality SET common_name = %s WHERE cbs_code = %s",
                           ["Amstelveen (raw)", "GM0362"])
    [row] = trail(object=f"registry.populationfigure:{figure.pk}")
    assert row["action"] == "update" and row["changes"]["source_note"][1] == "raw correction"
    assert (row["user-id"], row["via"]) == (str(bureau.pk), "cli")
    town = trail(object=f"registry.municipality:{figure.municipality_id}", kind="registry.municipality")
    town = [r for r in town if r["kind"] == "registry.municipality"]
    assert town[0]["changes"]["common_name"][1] == "Amstelveen (raw)"


@on_postgresql
def test_an_event_row_cannot_be_changed_or_deleted(db):
    with audit_context(via="cli", command="test"):
        get_user_model().objects.create_user("iemand", password="x")
    event = events.UserEvent.objects.get()
    for attempt in (lambda: events.UserEvent.objects.filter(pk=event.pk).update(is_superuser=True),
                    lambda: events.UserEvent.objects.filter(pk=event.pk).delete()):
        with pytest.raises(DatabaseError, match="append_only"), transaction.atomic():
            attempt()
    event.refresh_from_db()
    assert event.is_superuser is False


@on_sqlite
def test_the_sqlite_fallback_writes_the_events_of_orm_saves_but_not_of_bulk_updates(g40):
    town = Municipality.objects.get(cbs_code="GM0362")
    with audit_context(via="cli", command="shell", user=7):
        town.common_name = "Amstelveen!"
        town.save()
        town.save()  # nothing changed: no event
        town.save(update_fields=["slug"])  # a tracked field, unchanged: no event
        Municipality.objects.filter(pk=town.pk).update(common_name="bulk")  # not seen on SQLite
    [update] = events.MunicipalityEvent.objects.filter(pgh_obj_id=town.pk)
    assert (update.pgh_label, update.common_name) == ("update", "Amstelveen!")
    assert update.pgh_context["user"] == 7 and update.pgh_context["command"] == "shell"
    assert update.pgh_context_id is not None


def test_nothing_is_recorded_while_paused(db):
    with audit_paused():
        get_user_model().objects.create_user("stil", password="x")
    assert not events.UserEvent.objects.exists()


def test_outside_any_context_the_event_is_recorded_without_who(db, trail):
    user = get_user_model().objects.create_user("los", password="x")
    [row] = trail(object=f"auth.user:{user.pk}")
    assert (row["action"], row["user-id"], row["via"]) == ("insert", "", "")


def test_no_personal_data_is_copied_into_the_trail():
    copied = {model: {f.name for f in model._meta.concrete_fields} for model in (t.event_model for t in TRACKED)}
    assert not copied[events.PersonEvent] & {"name", "email", "portfolio", "expertise", "calendar_token"}
    assert not copied[events.UserEvent] & {"username", "email", "first_name", "last_name", "password", "last_login"}
    assert "client_secret" not in copied[events.IdentityProviderEvent]
    assert "data" not in copied[events.AuthenticatorEvent] and "key_hash" not in copied[events.APITokenEvent]
    assert "sent_to" not in copied[events.ReminderEvent] and "buyer" not in copied[events.InvoiceEvent]
    for tracked in TRACKED:  # what an object's history gathers points at tracked kinds and their fields
        for kind, attname in tracked.related:
            assert attname in {f.attname for f in BY_KIND[kind].event_model._meta.concrete_fields}


# --- the page -------------------------------------------------------------------------------

def test_only_the_bureau_reads_the_trail_and_nothing_changes_it(db, client, make_user, bureau, back_office_login):
    assert client.get(TRAIL).status_code == 302  # to the sign-in
    back_office_login(client, make_user("ambtenaar", Role.CIVIL_SERVANT))
    assert client.get(TRAIL).status_code in (302, 403)
    back_office_login(client, bureau)
    assert client.get(TRAIL).status_code == 200
    assert client.post(TRAIL, {"kind": "auth.user"}).status_code == 405
    assert client.get(TRAIL, {"object": "registry.nothing:1"}).status_code == 400
    assert client.get(TRAIL, {"after": "not-a-cursor"}).status_code == 400


def test_the_page_costs_the_same_whatever_the_number_of_events(g40, client, bureau, back_office_login,
                                                               django_assert_max_num_queries):
    back_office_login(client, bureau)
    groups = roles_ensure()

    def changes(count: int) -> None:
        with audit_context(via="web", path="/x/", user=bureau.pk):
            for n in range(count):
                user = get_user_model().objects.create_user(f"u{count}-{n}", password="x")
                user.groups.add(groups[Role.CIVIL_SERVANT])
                figure = amstelveen_figure()
                figure.source_note = f"{count}-{n}"
                figure.save()

    changes(1)
    client.get(TRAIL)  # warm caches (content types, the admin's menu)
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(TRAIL)
    changes(15)
    with django_assert_max_num_queries(len(few)):
        response = client.get(TRAIL)
    html = response.content.decode()
    assert len(rows_of(html)) == 50 and 'data-testid="next-page"' in html  # a full page, and more


def test_pages_follow_each_other_without_gaps_or_doubles(db, trail, bureau):
    # One transaction: on PostgreSQL all its events have the same time; ties are broken by kind and id.
    with audit_context(via="cli", command="test"), transaction.atomic():
        for n in range(7):
            get_user_model().objects.create_user(f"p{n}", password="x").groups.add(roles_ensure()[Role.PARTNER])
    from stedennet.audit.selectors import history_page

    seen, cursor = [], None
    while True:
        page = history_page(per_page=3, cursor=cursor)
        seen.extend((entry.kind, entry.event_id) for entry in page.entries)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    stored = {(tracked.kind, pk) for tracked in TRACKED
              for pk in tracked.event_model.objects.values_list("pgh_id", flat=True)}
    assert len(seen) == len(set(seen)) and set(seen) == stored and len(stored) >= 14
    newest = history_page(per_page=5).entries
    assert seen[:5] == [(entry.kind, entry.event_id) for entry in newest]


def test_a_nested_context_adds_to_the_outer_one_and_gives_it_back(db):
    User = get_user_model()
    with audit_context(via="cli", command="outer"):
        with audit_context(user=5):
            inner = User.objects.create_user("binnen", password="x")
        outer = User.objects.create_user("buiten", password="x")
    contexts = dict(events.UserEvent.objects.filter(pgh_label="insert").values_list("pgh_obj_id", "pgh_context"))
    assert contexts[inner.pk] == {"via": "cli", "command": "outer", "user": 5}
    assert contexts[outer.pk] == {"via": "cli", "command": "outer"}
    assert len(set(events.UserEvent.objects.values_list("pgh_context_id", flat=True))) == 1
