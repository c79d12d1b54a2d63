"""The ops console's price feed: upload a file (the worker imports it), follow an import while it runs (the page
polls its progress fragment until the import is over), its bad rows by line number, and the offers found by
platform and listing URL."""

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from anxin.core.errors import AnxinError, translate
from anxin.core.pages import apply_error, ops_required
from anxin.guarantee.models import FeedImport
from anxin.guarantee.platforms import PLATFORMS
from anxin.guarantee.queries import feed as queries
from anxin.guarantee.services import feed as services

POLL_SECONDS = 2


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("比价数据文件（CSV 或 JSON lines）"))


def _feed_page(request: HttpRequest, form: UploadForm, status: int = 200) -> HttpResponse:
    platform = request.GET.get("platform", "")[:20]
    url = request.GET.get("url", "")[:500]
    context = {
        "form": form,
        "imports": queries.recent_imports(),
        "platforms": [(code, translate(p.name)) for code, p in PLATFORMS.items()],
        "platform": platform,
        "url": url,
        "offers": queries.offers(platform, url) if platform or url else None,
    }
    return render(request, "guarantee/feed/ops_feed.html", context, status=status)


@require_http_methods(["GET", "POST"])
@ops_required
def ops_feed(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _feed_page(request, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _feed_page(request, form, 400)
    try:
        feed_import = services.start_upload(request.user, form.cleaned_data["file"])
    except AnxinError as exc:
        apply_error(form, exc)
        return _feed_page(request, form, exc.status)
    return HttpResponseRedirect(reverse("web:ops_feed_import", args=[feed_import.pk]))


def _running(feed_import: FeedImport) -> bool:
    return feed_import.state in (FeedImport.State.QUEUED, FeedImport.State.RUNNING)


def _progress(feed_import_id: int) -> dict:
    feed_import = queries.feed_import(feed_import_id)
    return {
        "feed_import": feed_import,
        "bad_rows": [(line, translate(reason)) for line, reason in queries.bad_rows(feed_import)],
        "running": _running(feed_import),
        "poll_seconds": POLL_SECONDS,
    }


@require_GET
@ops_required
def ops_feed_import(request: HttpRequest, feed_import_id: int) -> HttpResponse:
    return render(request, "guarantee/feed/ops_feed_import.html", _progress(feed_import_id))


@require_GET
@ops_required
def ops_feed_import_progress(request: HttpRequest, feed_import_id: int) -> HttpResponse:
    """htmx: the import's progress and bad rows, polled every `POLL_SECONDS` while it is queued or running
    (the answer stops the polling once the import is over)."""
    return render(request, "guarantee/feed/_progress.html", _progress(feed_import_id))
