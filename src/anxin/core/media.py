"""Uploaded files served by Anxin itself, for the embedded default (files on disk under MEDIA_ROOT).

WhiteNoise serves only the static files known at start-up, and Django's own `static.serve` is for
development. This view answers only for picture types, only through the storage API (whose file-system backend
refuses any name outside its folder), and with a long cache lifetime: every stored name carries a random token
and a file is never rewritten under its name. A deployment on object storage does not mount it.
"""

from pathlib import PurePosixPath

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

MEDIA_TYPES = {".webp": "image/webp", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
CACHE_CONTROL = "public, max-age=31536000, immutable"


@require_safe
def serve_media(request: HttpRequest, name: str) -> FileResponse:
    content_type = MEDIA_TYPES.get(PurePosixPath(name).suffix.lower())
    if content_type is None or name.startswith("/") or ".." in PurePosixPath(name).parts:
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except (OSError, SuspiciousFileOperation):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = CACHE_CONTROL
    return response
