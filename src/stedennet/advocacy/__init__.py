"""Advocacy: the network's lobby dossiers (the ask in versions, interventions and their outcomes)
and the parliamentary items matched to them from the mirror (``stedennet.parliament``), with
alerts to the owning theme groups and a public timeline. Modules:

- ``services``: dossiers, ask versions, interventions and outcomes, status changes (audited);
- ``matching``: the rules, run over what the mirror applied (``receivers`` listens to it);
- ``alerts``: one alert per item and person, at once or in the digest;
- ``selectors``: what a viewer may see, the timeline, the review queue;
- ``demo``: ``load_demo_advocacy()``, invented dossiers on invented parliamentary items.
"""
