"""Who sees what in governance. One ``Viewer`` per request (two queries), then plain checks.

- The bureau (group Netwerkbureau, or a superuser) sees everything.
- Members: signed-in administrators and civil servants (groups Bestuurder/Ambtenaar) whose
  person acts for a municipality. They see member-only material.
- Partners (group Partner) see only what is marked for members and partners, or public.
- A body's own documents (visibility "body") are for the people holding a current position in
  that body, and the bureau.
- Anonymous visitors see what is public.

Which pages a viewer may open (the views check these, and every link to such a page is shown
only when they hold, through the ``governance_links`` and ``meetings_links`` template tags):
- a pillar's page: everyone (it is public);
- another body's page, its archive of past meetings and a meeting's page: the bureau, members,
  and whoever holds a current position in that body;
- a meeting document: whoever ``may_see`` its visibility.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from stedennet.accounts.constants import Role
from stedennet.governance.models import BodyKind, Person, Position, Visibility


@dataclass(frozen=True)
class Viewer:
    is_authenticated: bool = False
    is_bureau: bool = False
    is_member: bool = False
    is_partner: bool = False
    person: Person | None = None
    body_ids: frozenset[int] = field(default_factory=frozenset)

    def may_see(self, visibility: str, body_id: int | None = None) -> bool:
        if self.is_bureau or visibility == Visibility.PUBLIC:
            return True
        if visibility == Visibility.MEMBERS:
            return self.is_member
        if visibility == Visibility.MEMBERS_AND_PARTNERS:
            return self.is_member or self.is_partner
        if visibility == Visibility.BODY:
            return body_id is not None and body_id in self.body_ids
        return False

    def may_open_body(self, body) -> bool:
        """A body's page (and its archive): pillars are public; other bodies are for the bureau,
        members and the people seated in them."""
        if body.kind == BodyKind.PILLAR:
            return True
        return self.is_bureau or self.is_member or body.pk in self.body_ids

    def may_open_meeting(self, meeting) -> bool:
        """A meeting's page: the bureau, members and the people seated in its body."""
        return self.is_bureau or self.is_member or meeting.body_id in self.body_ids

    def may_open_document(self, document) -> bool:
        """A meeting document (``MeetingDocument``): by its visibility."""
        return self.may_see(document.visibility, document.meeting.body_id)

    def visible_levels(self) -> list[str]:
        """The visibility levels this viewer sees regardless of body (for query filters)."""
        if self.is_bureau:
            return list(Visibility.values)
        levels = [Visibility.PUBLIC]
        if self.is_member:
            levels += [Visibility.MEMBERS, Visibility.MEMBERS_AND_PARTNERS]
        elif self.is_partner:
            levels.append(Visibility.MEMBERS_AND_PARTNERS)
        return levels

    def visible_q(self, *, visibility: str = "visibility", body: str = "group_id") -> Q:
        """``may_see`` as one queryset filter, for rows whose visibility is in the field
        ``visibility`` and whose body (for "body" visibility) in ``body``."""
        if self.is_bureau:
            return Q()
        allowed = Q(**{f"{visibility}__in": [level for level in self.visible_levels() if level != Visibility.BODY]})
        if self.body_ids:
            allowed |= Q(**{visibility: Visibility.BODY, f"{body}__in": sorted(self.body_ids)})
        return allowed


ANONYMOUS = Viewer()


def viewer_for(user) -> Viewer:
    """The viewer for a user, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_governance_viewer", None)
    if cached is not None:
        return cached
    groups = set(user.groups.values_list("name", flat=True))
    person = Person.objects.filter(user=user).select_related("municipality", "partner").first()
    body_ids = frozenset(
        Position.objects.current().filter(person=person).values_list("body_id", flat=True)
    ) if person else frozenset()
    viewer = Viewer(
        is_authenticated=True,
        is_bureau=user.is_superuser or Role.BUREAU in groups,
        is_member=bool(groups & {Role.ADMINISTRATOR, Role.CIVIL_SERVANT})
        and (person is None or person.partner_id is None),
        is_partner=Role.PARTNER in groups,
        person=person,
        body_ids=body_ids,
    )
    user._governance_viewer = viewer
    return viewer

