from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from anxin.api import api
from anxin.core.media import serve_media

FAVICON = Path(__file__).parent / "web" / "static" / "web" / "favicon.ico"


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and crawlers ask for /favicon.ico whatever the page links: answer it rather than 404."""
    return HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", favicon),
    path("", include("anxin.web.urls")),
]

# The embedded default keeps uploads on disk and serves them; object storage serves its own. Unnamed: the
# storage's url() builds every address.
if settings.ANXIN_SERVE_MEDIA:
    urlpatterns.insert(0, path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", serve_media))
