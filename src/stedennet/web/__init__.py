"""The ground floor: what every app may use, importing no domain app of ours.

- ``access``: who may see a view (the ``public`` declaration and the middleware that refuses a
  view of ours that declares nothing);
- ``cache``: fragments cached on data versions (``models.DataVersion``), true in every worker;
- ``formats``: money, numbers and dates in Dutch notation;
- ``uploads``: the one check every uploaded file goes through, and ``documents``, the Wagtail
  document form that applies it in the back office.

The import-linter contract in ``.importlinter`` (run by ``make test``) keeps it this way.
"""
