"""Who sees what in governance. One ``Viewer`` per request (two queries), then plain checks.

- The bureau (group Netwerkbureau, or a superuser) sees everything.
- Members: signed-in administrators and civil servants (groups Bestuurder/Ambtenaar) whose
  person acts for a municipality. They see member-only material.
- Partners (group Partner) see only what is marked for members and partners, or public.
- A body's own documents (visibility "body") are for the people holding a current position in
  that body, and the bureau.
- Anonymous visitors see what is public.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from stedennet.accounts.constants import Role
from stedennet.governance.models import Person, Position, Visibility


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


def today():
    return timezone.localdate()
