"""The open API at /api/v1/ (django-ninja), following the NL API Design Rules.

- Read-only; every operation shows what the asker may see on the public pages, or with a
  personal token what its person may see (``governance.access.viewer_for``), through the same
  selectors as the pages.
- Errors are RFC 9457 problems (``api.problems``); input that does not validate, an unknown
  query key (``api.query.strict_query``) or a page beyond the last is 400 naming the parameter.
- ``/api/v1/openapi.json`` is the document, post-processed by ``api.schema`` and committed as
  ``docs/api/openapi.json`` (``stedennet api-schema --check`` and a test compare them).
  ninja's docs page is off: it loads Swagger UI from a CDN.
"""

from functools import lru_cache

from ninja import NinjaAPI

from stedennet.api.auth import TokenOrAnonymous
from stedennet.api.constants import VERSION
from stedennet.api.problems import register_handlers
from stedennet.api.query import strict_query
from stedennet.api.routers import bodies, events, library, meetings, members, municipalities, programmes
from stedennet.api.schema import postprocess

SERVER = "/api/v1"
CONTACT = {"name": "Stedennet", "url": "https://stedennet.invalid/api/v1/openapi.json",
           "email": "bureau@stedennet.invalid"}
DESCRIPTION = (
    "The open data of a network of Dutch municipalities (stedennetwerk): its members with their "
    "population figures and sources, every municipality, the bodies and their positions, meetings "
    "and decisions, work programmes, the library and events.\n\n"
    "Anonymous requests see what the public pages show. With a personal API token "
    "(`Authorization: Bearer …`, made on the page *Mijn API-tokens*) a request sees what the token's "
    "owner may see, nothing more; a revoked token is refused with 401.\n\n"
    "Names are English, as in the glossary of the platform (gemeente = municipality, lid = member, "
    "peildatum = reference date, orgaan = body, werkprogramma = work programme). Lists have `page` "
    "and `pageSize`; every error is `application/problem+json` (RFC 9457)."
)


class StedennetAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return _document()


api = StedennetAPI(
    title="Stedennet API",
    version=VERSION,
    description=DESCRIPTION,
    servers=[{"url": SERVER, "description": "This installation"}],
    openapi_url="/openapi.json",
    docs_url=None,
    urls_namespace="api-v1",
    auth=TokenOrAnonymous(),
    openapi_extra={"info": {"contact": CONTACT, "license": {"name": "EUPL-1.2",
                                                             "identifier": "EUPL-1.2"}}},
)
register_handlers(api)
api.add_decorator(strict_query, mode="view")
for module in (municipalities, members, bodies, meetings, programmes, library, events):
    api.add_router("", module.router)


@lru_cache(maxsize=1)
def _document() -> dict:
    raw = NinjaAPI.get_openapi_schema(api, path_prefix="")
    return postprocess(dict(raw), version=VERSION)


def openapi_document() -> dict:
    """The post-processed OpenAPI document, as served and committed."""
    return _document()
