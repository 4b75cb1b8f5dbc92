"""The meetings listing of the back office sits in the menu group "Governance", as before the app
had its own home, with the work programmes after it; the listing links to the meeting page."""

import pytest
from django.test import RequestFactory
from django.utils.translation import gettext

from stedennet.accounts.constants import Role as AccountRole


@pytest.fixture
def bureau_request(g40_bodies, make_user):
    request = RequestFactory().get("/admin/")
    request.user = make_user("bureau", AccountRole.BUREAU)
    return request


def test_the_governance_menu_group_holds_meetings_and_work_programmes(bureau_request):
    from wagtail.admin.menu import admin_menu

    group = next(item for item in admin_menu.menu_items_for_request(bureau_request)
                 if str(item.label) == gettext("Governance"))
    items = sorted(group.menu.menu_items_for_request(bureau_request), key=lambda item: item.order)
    assert [str(item.label) for item in items] == [gettext(label) for label in (
        "Election turnover", "Vacancies", "Bodies", "People", "Positions", "Requests to join", "Meetings",
        "Work programmes", "Actions", "Strategic agenda")]
    assert items[6].url == "/admin/snippets/meetings/meeting/"
    assert items[7].url == "/admin/snippets/programmes/workprogramme/"


def test_the_moved_listings_are_not_under_snippets(bureau_request):
    from wagtail.snippets.views.snippets import get_snippet_models_for_index_view

    labels = {model._meta.app_label for model in get_snippet_models_for_index_view()}
    assert not labels & {"governance", "meetings", "programmes"}
