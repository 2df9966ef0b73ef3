"""GET /api/ui and /api/ui/{*path}: the Manage page's static files from sync_core/web/.

Only files under that folder with a known type are served, each with the product's security headers.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path, PurePosixPath

import azure.functions as func

from sync_core.functions.http import SECURITY_HEADERS

bp = func.Blueprint()

WEB_ROOT = Path(__file__).resolve().parent.parent / "web"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".json": "application/json",
}

# The page is plain files without content hashes in their names, so browsers revalidate every time (cheap:
# a 304 on a matching ETag) instead of running yesterday's script against today's API.
CACHE_CONTROL = "no-cache"


def resolve_asset(relative_path: str) -> Path | None:
    """The file under WEB_ROOT a request path names, or None when it is not a servable asset."""
    if "\\" in relative_path or "\x00" in relative_path:
        return None
    parts = PurePosixPath(relative_path.strip("/")).parts
    # No "..", no hidden files, no absolute paths: every segment must be a plain name.
    if not parts or any(part in {"", ".", ".."} or part.startswith(".") for part in parts):
        return None
    try:
        candidate = WEB_ROOT.joinpath(*parts).resolve()
        if not candidate.is_relative_to(WEB_ROOT) or not candidate.is_file():
            return None
    except OSError:  # e.g. a segment longer than the file system allows (ENAMETOOLONG): not an asset
        return None
    return candidate if candidate.suffix in CONTENT_TYPES else None


@lru_cache(maxsize=128)
def _read(path: Path, mtime_ns: int) -> tuple[bytes, str]:
    body = path.read_bytes()
    return body, f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def _answer(req: func.HttpRequest, path: Path | None) -> func.HttpResponse:
    if path is None:
        return func.HttpResponse(
            "Not Found", status_code=404, mimetype="text/plain", headers=dict(SECURITY_HEADERS)
        )
    body, etag = _read(path, path.stat().st_mtime_ns)
    headers = {**SECURITY_HEADERS, "Cache-Control": CACHE_CONTROL, "ETag": etag}
    if etag in (req.headers.get("If-None-Match") or "").split(", "):
        return func.HttpResponse(status_code=304, headers=headers)
    headers["Content-Type"] = CONTENT_TYPES[path.suffix]
    return func.HttpResponse(body=body, status_code=200, headers=headers)


@bp.route(route="ui", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)
def ui_page(req: func.HttpRequest) -> func.HttpResponse:
    return _answer(req, resolve_asset("index.html"))


@bp.route(route="ui/{*path}", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)
def ui_asset(req: func.HttpRequest) -> func.HttpResponse:
    path = req.route_params.get("path", "")
    return _answer(req, resolve_asset(path or "index.html"))
