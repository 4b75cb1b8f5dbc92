"""Schemathesis against the API in this process (WSGI), every operation, as anonymous and with a
member's token: no server error, every response (errors too) as the document says (status codes,
content type, headers, schema), bad input refused. Bounded and derandomised, so it takes seconds."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from stedennet.api.api import openapi_document

EXAMPLES = settings(max_examples=8, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))


# The document as the code makes it (the drift test holds it equal to the served one), called
# through Django's WSGI handler in this process. (``schemathesis.pytest.from_fixture`` would load it
# from the server in a fixture, but reads ``node._nodeid``, which pytest 9 no longer has.)
schema = schemathesis.openapi.from_dict(openapi_document())
schema.app = get_wsgi_application()
schema.location = "/api/v1/openapi.json"


@pytest.fixture(autouse=True)
def _data(content):
    """Rows for every list. The WSGI handler would close the test's connection (and with it its
    transaction) before and after each request (on PostgreSQL; SQLite's test database ignores it);
    Django's test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def call_and_validate(case, headers=None) -> None:
    """Every check of Schemathesis, except that a valid ``page`` beyond the last page may be
    refused (400 naming ``page``, as the issue asks): the document cannot say where the last is."""
    response = case.call(headers=headers)
    excluded = []
    if case.meta and case.meta.generation.mode.is_positive and response.status_code == 400:
        codes = {param["code"] for param in response.json().get("invalidParams", [])}
        assert codes == {"page_out_of_range"}, response.text
        excluded.append(positive_data_acceptance)
    case.validate_response(response, headers=headers, excluded_checks=excluded)


@schema.parametrize()
@EXAMPLES
def test_anonymous(case):
    call_and_validate(case)


@schema.parametrize()
@EXAMPLES
def test_with_a_token(case, member_token):
    call_and_validate(case, headers={"Authorization": f"Bearer {member_token}"})
