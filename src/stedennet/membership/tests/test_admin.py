"""Membership procedures in the back office: every step goes through the services, a refused
step is shown on its form field, and each municipality has a timeline."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission

from stedennet.accounts.constants import Role
from stedennet.membership.models import (
    MembershipPeriod,
    MembershipProcedure,
    MembershipRules,
    ProcedureKind,
    ProcedureStatus,
)
from stedennet.registry.models import Municipality

d = datetime.date.fromisoformat
PROCEDURES = "/admin/snippets/membership/membershipprocedure/"
TIMELINE = "/admin/membership/timeline/GM0362/"


@pytest.fixture
def bureau(back_office_login, client, make_user):
    back_office_login(client, make_user("bureau", Role.BUREAU))
    return client


@pytest.fixture
def wassenaar(g40):
    return Municipality.objects.get(cbs_code="GM0629")  # not a G40 member


def amstelveen_procedure():
    return MembershipProcedure.objects.get(municipality__cbs_code="GM0362", kind=ProcedureKind.ADMISSION)


@pytest.mark.parametrize("url", [
    PROCEDURES,
    f"{PROCEDURES}?kind=admission&status=effective",
    "/admin/snippets/membership/membershiprules/",
    "/admin/snippets/membership/membershipperiod/",
    "/admin/membership/admission/apply/",
    "/admin/membership/resignation/notice/",
])
def test_the_bureau_opens_the_membership_pages(g40, bureau, url):
    assert bureau.get(url).status_code == 200


def test_the_listing_links_each_procedure_to_its_timeline_and_inspect_view(g40, bureau):
    procedure = amstelveen_procedure()
    html = bureau.get(PROCEDURES).content.decode()
    assert f'href="{TIMELINE}"' in html
    assert f'href="{PROCEDURES}inspect/{procedure.pk}/"' in html
    assert f"{PROCEDURES}edit/" not in html and f"{PROCEDURES}add/" not in html


def test_the_inspect_view_shows_the_steps_with_their_documents(g40, bureau):
    procedure = amstelveen_procedure()
    html = bureau.get(f"{PROCEDURES}inspect/{procedure.pk}/").content.decode()
    assert re.findall(r'<time datetime="([\d-]+)"', html) == ["2021-03-09", "2022-05-11", "2022-07-01"]
    assert html.count('href="https://amstelveenweb.com/fotodisp&amp;fotodisp=4976"') == 3
    assert "persbericht 1 juni 2022" in html
    assert f'href="{TIMELINE}"' in html


def test_the_timeline_lists_dates_steps_references_and_links(g40, bureau):
    html = bureau.get(TIMELINE).content.decode()
    timeline = re.search(r'data-testid="timeline".*', html, re.S).group(0)
    assert re.findall(r'<time datetime="([\d-]+)"', timeline)[:3] == ["2021-03-09", "2022-05-11", "2022-07-01"]
    assert "Bestuur stemt in" in timeline or "Board approves" in timeline
    assert "persbericht 1 juni 2022" in timeline
    assert 'href="https://amstelveenweb.com/fotodisp&amp;fotodisp=4976"' in timeline
    assert bureau.get("/admin/membership/timeline/GM9999/").status_code == 404


def test_admission_through_the_forms_refuses_an_effective_date_before_the_board(g40, bureau, wassenaar):
    response = bureau.post("/admin/membership/admission/apply/",
                           {"municipality": wassenaar.pk, "date": "2026-02-01", "reference": "Collegebesluit 12"})
    assert response.status_code == 302
    procedure = MembershipProcedure.objects.get(municipality=wassenaar)
    assert response["Location"] == f"{PROCEDURES}inspect/{procedure.pk}/"

    response = bureau.post(f"/admin/membership/procedure/{procedure.pk}/decide/",
                           {"decision": "approve", "date": "2026-04-01", "reference": "Brief van het bestuur"})
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.status == ProcedureStatus.APPROVED

    response = bureau.post(f"/admin/membership/procedure/{procedure.pk}/effective/", {"date": "2026-03-01"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["date"]
    assert "2026-03-01" in errors["date"][0] and "2026-04-01" in errors["date"][0]
    assert errors["date"][0] in response.content.decode()
    assert not MembershipPeriod.objects.filter(municipality=wassenaar).exists()

    response = bureau.post(f"/admin/membership/procedure/{procedure.pk}/effective/", {"date": "2026-07-01"})
    assert response.status_code == 302
    assert MembershipPeriod.objects.get(municipality=wassenaar).start_date == d("2026-07-01")
    html = bureau.get(f"/admin/membership/timeline/{wassenaar.cbs_code}/").content.decode()
    assert re.findall(r'<time datetime="([\d-]+)"', html) == ["2026-02-01", "2026-04-01", "2026-07-01"]


def test_a_second_application_is_refused_on_the_municipality_field(g40, bureau, wassenaar):
    data = {"municipality": wassenaar.pk, "date": "2026-02-01"}
    assert bureau.post("/admin/membership/admission/apply/", data).status_code == 302
    response = bureau.post("/admin/membership/admission/apply/", data)
    assert response.status_code == 200 and list(response.context["form"].errors) == ["municipality"]


def test_a_resignation_notice_through_the_form_ends_the_membership_by_the_rules(g40, bureau):
    groningen = Municipality.objects.get(cbs_code="GM0014")
    response = bureau.post("/admin/membership/resignation/notice/",
                           {"municipality": groningen.pk, "date": "2026-09-15", "reference": "Brief 2026-77"})
    assert response.status_code == 302
    period = MembershipPeriod.objects.get(municipality=groningen, network=g40)
    assert period.end_date == d("2027-12-31")  # the end of the first financial year ≥ 6 months after notice


def test_the_generic_add_edit_and_delete_views_of_a_procedure_are_refused(g40, bureau):
    procedure = amstelveen_procedure()
    for url in (f"{PROCEDURES}add/", f"{PROCEDURES}edit/{procedure.pk}/", f"{PROCEDURES}delete/{procedure.pk}/"):
        assert bureau.get(url).status_code != 200, url
    bureau.post(f"{PROCEDURES}delete/{procedure.pk}/")
    assert MembershipProcedure.objects.filter(pk=procedure.pk).exists()


def test_the_bureau_edits_the_membership_rules(g40, bureau):
    rules = MembershipRules.objects.get(network=g40)
    response = bureau.post(f"/admin/snippets/membership/membershiprules/edit/{rules.pk}/",
                           {"network": g40.pk, "notice_months": "12", "financial_year_start_month": "1",
                            "source": "Statuten art. 6"})
    assert response.status_code == 302
    rules.refresh_from_db()
    assert rules.notice_months == 12


def test_others_are_refused(back_office_login, g40, client, make_user, wassenaar):
    procedure = amstelveen_procedure()
    urls = [TIMELINE, "/admin/membership/admission/apply/", f"/admin/membership/procedure/{procedure.pk}/decide/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/inloggen/"), url
    client.force_login(make_user("ambtenaar", Role.CIVIL_SERVANT))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/inloggen/"), url
    editor = make_user("editor")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    back_office_login(client, editor)
    for url in urls:
        assert client.get(url).status_code == 403, url
    response = client.post("/admin/membership/admission/apply/", {"municipality": wassenaar.pk, "date": "2026-02-01"})
    assert response.status_code == 403
    assert not MembershipProcedure.objects.filter(municipality=wassenaar).exists()
