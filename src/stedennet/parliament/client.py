"""The HTTP side of the mirror: one GET, bounded in time and size, that either returns the body or
raises ``FetchProblem`` with the kind of failure (``constants.FailureKind``).

Only the configured feed's origin is ever contacted: the next page is built from the base URL
and the cursor (the feed's own ``next`` links are read for their skiptoken only), a redirect to
another origin is refused, and an enclosure elsewhere is refused (``same_origin``).
"""

import contextlib
import socket
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException
from urllib.parse import urlencode, urlsplit

from stedennet.parliament import conf
from stedennet.parliament.constants import FailureKind

CHUNK = 64 * 1024
UNREACHABLE = "cannot connect"  # how a failure to reach the server at all begins
USER_AGENT = "Stedennet-parliamentary-mirror/1.0 (SyncFeed client)"


class FetchProblem(Exception):
    def __init__(self, kind: str, message: str, *, status_code: int | None = None, body: bytes = b""):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status_code = status_code
        self.body = body

    @property
    def transient(self) -> bool:
        return self.kind in (FailureKind.TIMEOUT, FailureKind.NETWORK, FailureKind.ERROR_BODY) or (
            (self.kind == FailureKind.HTTP and (self.status_code or 0) >= 500) or self.status_code == 429)


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes


def origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.netloc or "").lower()


def same_origin(url: str, base: str) -> bool:
    return origin(url) == origin(base) and origin(url)[0] in ("http", "https")


def page_url(category: str, skiptoken: int | None) -> str:
    query = {"category": category}
    if skiptoken is not None:
        query["skiptoken"] = str(skiptoken)
    return f"{conf.feed_url()}?{urlencode(query)}"


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not same_origin(newurl, req.full_url):
            raise FetchProblem(FailureKind.HTTP, f"redirect to another origin refused: {newurl}", status_code=code)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_SameOriginRedirects())


def _read(response, *, limit: int, deadline: float, sink) -> int:
    """Copy the body into ``sink`` (at most ``limit`` bytes, before ``deadline``); the bytes read."""
    total = 0
    while True:
        chunk = response.read(CHUNK)
        if not chunk:
            return total
        total += len(chunk)
        if total > limit:
            raise FetchProblem(FailureKind.TOO_LARGE, f"more than {limit} bytes")
        if time.monotonic() > deadline:
            raise FetchProblem(FailureKind.TIMEOUT, "the response took too long")
        sink.write(chunk)


def _open(url: str, accept: str):
    if origin(url)[0] not in ("http", "https"):
        raise FetchProblem(FailureKind.NETWORK, f"not an HTTP URL: {url}")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})  # noqa: S310 (checked)
    try:
        return _opener().open(request, timeout=conf.timeout())
    except urllib.error.HTTPError as error:
        body = b""
        with contextlib.suppress(OSError, HTTPException):
            body = error.read(CHUNK)
        raise FetchProblem(FailureKind.HTTP, f"HTTP {error.code} {error.reason}", status_code=error.code,
                           body=body) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError | socket.timeout):
            raise FetchProblem(FailureKind.TIMEOUT, f"timed out: {error.reason}") from None
        raise FetchProblem(FailureKind.NETWORK, f"{UNREACHABLE}: {error.reason}") from None
    except TimeoutError as error:
        raise FetchProblem(FailureKind.TIMEOUT, f"timed out: {error}") from None
    except (OSError, HTTPException) as error:
        raise FetchProblem(FailureKind.NETWORK, f"{type(error).__name__}: {error}") from None


def get(url: str, *, limit: int, accept: str = "application/atom+xml, application/xml;q=0.9, */*;q=0.1") -> Response:
    """The whole body of ``url``; ``FetchProblem`` for a status other than 200, a timeout, a
    broken connection or a body over ``limit`` bytes."""
    deadline = time.monotonic() + 4 * conf.timeout()
    with _open(url, accept) as response:
        sink = _Buffer()
        try:
            _read(response, limit=limit, deadline=deadline, sink=sink)
        except TimeoutError:
            raise FetchProblem(FailureKind.TIMEOUT, "timed out while reading") from None
        except (OSError, HTTPException) as error:
            raise FetchProblem(FailureKind.NETWORK, f"{type(error).__name__} while reading: {error}") from None
        return Response(response.status, response.headers.get_content_type(), sink.getvalue())


def download(url: str, *, limit: int):
    """``(content type, a temporary file with the body, its size)`` for an enclosure; the
    caller closes the file. Bounded as ``get``."""
    deadline = time.monotonic() + 4 * conf.timeout()
    with _open(url, "*/*") as response:
        sink = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 (returned open)
        try:
            size = _read(response, limit=limit, deadline=deadline, sink=sink)
        except TimeoutError:
            sink.close()
            raise FetchProblem(FailureKind.TIMEOUT, "timed out while reading") from None
        except (OSError, HTTPException) as error:
            sink.close()
            raise FetchProblem(FailureKind.NETWORK, f"{type(error).__name__} while reading: {error}") from None
        except FetchProblem:
            sink.close()
            raise
        sink.seek(0)
        return response.headers.get_content_type(), sink, size


class _Buffer:
    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, chunk: bytes) -> None:
        self.parts.append(chunk)

    def getvalue(self) -> bytes:
        return b"".join(self.parts)
