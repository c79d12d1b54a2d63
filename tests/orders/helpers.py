"""Shared checks for refusals: the exact answer, and proof that nothing was written."""

from django.apps import apps


def row_counts() -> dict[str, int]:
    """Rows of every table (sessions aside): a refused request must leave every count as it was."""
    return {
        model._meta.label: model.objects.count() for model in apps.get_models() if model._meta.app_label != "sessions"
    }


def assert_refused(response, status: int, code: str) -> dict:
    """A 4xx in the API's one error shape, with this code and a message a person can read."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code, body
    assert body["message"]
    return body
