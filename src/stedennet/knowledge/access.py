"""Who may open the knowledge pages: the decorators of its views, each made by the ground
floor's ``web.access.access``. Anonymous visitors go to the sign-in page (``settings.LOGIN_URL``)
and come back to the page they asked for; signed-in users the rule does not admit get 403.

The rules are about the viewer (``governance.access.Viewer``): what they may then see on a page
is decided by the selectors, through the same viewer.
"""

from collections.abc import Callable

from stedennet.governance.access import Viewer, viewer_for
from stedennet.knowledge.digests import may_subscribe
from stedennet.web.access import access


def is_member_or_bureau(viewer: Viewer) -> bool:
    return viewer.is_member or viewer.is_bureau


def reads_questions(viewer: Viewer) -> bool:
    """Questions are for members, partners and the bureau."""
    return viewer.is_member or viewer.is_partner or viewer.is_bureau


def asks(viewer: Viewer) -> bool:
    """Asking: members and the bureau, with a person of the network."""
    return viewer.person is not None and (viewer.is_member or viewer.is_bureau)


def sees_shared(viewer: Viewer) -> bool:
    """What is shared with partners: partners, members and the bureau."""
    return viewer.is_partner or viewer.is_member or viewer.is_bureau


def _of_viewer(allowed: Callable[[Viewer], bool]) -> Callable[..., bool]:
    return lambda user: allowed(viewer_for(user))


members_and_bureau = access("members,bureau", _of_viewer(is_member_or_bureau))
question_readers = access("members,partners,bureau", _of_viewer(reads_questions))
askers = access("members,bureau (with a person)", _of_viewer(asks))
partners_members_and_bureau = access("partners,members,bureau", _of_viewer(sees_shared))
digest_readers = access("members,partners,bureau", _of_viewer(may_subscribe))
