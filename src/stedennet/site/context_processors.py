from django.utils.functional import SimpleLazyObject

from stedennet.registry.selectors import network_current
from stedennet.registry.theme import theme_fingerprint


def _navigation(user) -> dict:
    """Which member pages the main menu offers: only pages this viewer may open (the rules of
    the views themselves; tests/browser/test_layout.py follows every link for every role)."""
    from stedennet.governance.access import viewer_for

    viewer = viewer_for(user)
    person = viewer.person
    return {
        "questions": viewer.is_member or viewer.is_partner or viewer.is_bureau,
        "experts": viewer.is_member or viewer.is_bureau,
        "shared": viewer.is_partner,  # what is shared with partners (knowledge:shared), where partners land
        "my_groups": viewer.is_authenticated,
        "viewer_name": (person.name if person else "") or (user.get_full_name() if viewer.is_authenticated else "")
        or getattr(user, "username", ""),
    }


def network(request) -> dict:
    """The network (name, look) for the header and title of every public page, and the menu."""
    if request.path.startswith(("/admin/", "/django-admin/")):
        return {}
    current = network_current()
    user = getattr(request, "user", None)
    return {
        "network": current,
        "theme_version": theme_fingerprint(current),
        # Lazy: pages that never render the menu (feeds, files) cost no queries for it.
        "navigation": SimpleLazyObject(lambda: _navigation(user)),
    }
