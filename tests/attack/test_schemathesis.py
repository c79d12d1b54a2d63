"""schemathesis over the whole OpenAPI document, as anonymous, a buyer and a seller: no answer is a 5xx and
every status an operation answers is one the document declares for it."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from anxin.accounts import services as accounts
from anxin.wsgi import application
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)

PARTIES = {
    "anonymous": lambda: None,
    "buyer": f.buyer,
    "seller": f.staff,
}


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """schemathesis calls the WSGI application itself, whose end of request closes the database connection,
    and with it the test's transaction on PostgreSQL; Django's test client leaves it open the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=sorted(PARTIES))
def bearer(request) -> dict[str, str]:
    """The Authorization header of one party (none for anonymous), made once per operation and party."""
    who = PARTIES[request.param]()
    return {} if who is None else {"Authorization": f"Bearer {accounts.issue_token(who)}"}


@schema.parametrize()
@settings(max_examples=5, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_a_server_error_or_an_undeclared_status(case, bearer):
    case.call_and_validate(headers=bearer, checks=[not_a_server_error, status_code_conformance])
