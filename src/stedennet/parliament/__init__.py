"""The parliamentary mirror: a copy of the Tweede Kamer's open data (the SyncFeed of the
Gegevensmagazijn) kept up to date by ``stedennet parliament sync`` and a periodic background task.

It knows nothing of the network's dossiers: advocacy reads it through ``selectors`` and hears of
each applied page through ``signals.entities_applied``. Modules:

- ``feed``: safe, namespace-aware parsing of a feed page and of the entity in each entry;
- ``client``: the HTTP side (pages with retries and back-off, enclosures), local or real;
- ``services``: the sync (a page with its cursor move in one transaction), files on request,
  "sync now" and the periodic schedule;
- ``selectors``: what advocacy and the back office read (motions, commitments, status);
- ``demo``: ``load_demo_parliament()``, invented items with demo GUIDs.
"""
