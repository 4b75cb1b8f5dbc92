"""What the mirror tells others. Advocacy listens to ``entities_applied`` to match new items
against its dossiers, without the mirror knowing of dossiers.

``entities_applied`` is sent once per applied page (after its transaction committed), and by
``load_demo_parliament``, with:

- ``category``: the SyncFeed category (``"Zaak"``, ``"Stemming"``, …);
- ``guids``: the GUIDs (strings) stored or replaced by that page;
- ``deleted``: the GUIDs deleted by tombstones.

Receivers run with ``send_robust``: an error in one is logged and does not stop the sync (the
page is committed already). A receiver that missed pages can catch up with
``selectors.entities_changed_since``.
"""

from django.dispatch import Signal

entities_applied = Signal()
