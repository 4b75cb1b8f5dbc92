"""Where the apps built on governance add to it, so that governance never imports them (layers
point one way): Wagtail hooks by these names, registered in those apps' ``wagtail_hooks``.

- ``BODY_PAGE_SECTIONS``: ``fn(request, body, viewer) -> str`` – a part of a body's page, as
  HTML ("" for none), in the order of the hooks (``meetings``: the upcoming meetings with the
  archive and the calendar, and the documents; ``programmes``: the work-programme actions).
- ``DEMO_LOADERS``: ``fn(network) -> dict[str, int]`` – more demo data after the demo people
  and positions (``demo.demo_governance_load``); the counts are added up.
- ``ADMIN_MENU``: the back-office menu group "Governance" (``GovernanceGroup.submenu_hook``);
  a viewset with ``menu_hook = ADMIN_MENU`` appears in it (meetings, work programmes, …).
"""

BODY_PAGE_SECTIONS = "governance_body_page_sections"
DEMO_LOADERS = "governance_demo_loaders"
ADMIN_MENU = "register_governance_menu_item"
