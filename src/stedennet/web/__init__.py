"""The ground floor: what every app may use, importing no domain app of ours.

- ``access``: who may see a view: the one decorator factory ``access`` (``public`` is made with
  it) and the middleware that refuses a view of ours that declares nothing;
- ``refusals``: ``Refused``, the one base of every domain refusal (a ``code``, a ``field``), and
  ``add_refusal``, which puts one on a form;
- ``forms``: the NL Design System form styling (``style_widgets``, ``StyledForm``);
- ``cache``: fragments cached on data versions (``models.DataVersion``), true in every worker;
- ``formats``: money, rates, numbers and dates in Dutch notation;
- ``uploads``: the one check every uploaded file goes through, and ``documents``, the Wagtail
  document form that applies it in the back office;
- ``templates/web/partials/``: the shared partials (messages, field, error summary, demo badge,
  pagination).

The import-linter contract in ``.importlinter`` (run by ``make test``) keeps it this way.
"""
