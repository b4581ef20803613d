"""`--images local`: copy an article's images into the archive, so posts keep them when the outlet's servers drop them.

Each image is downloaded with the article (same client settings, a Referer of the article, at most one request
at a time per image server and `interval` seconds between two), checked — an image Content-Type *and* the
file's own signature must say JPEG, PNG, GIF, WebP or AVIF (SVG is refused: it can carry scripts), at most
`max_bytes` — and stored once under ``assets/images/<sha256, 20 hex digits>.<ext>``: the same picture in many
posts, or under many addresses, is one file. Links in the body (and the ``image`` field) are rewritten to
``/assets/images/…``. An image that cannot be fetched or is refused keeps its remote link; the post is
written either way.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .archive.files import replace_file
from .article import Article
from .errors import NewsfetchError
from .fetch import FetchOptions, Fetcher

IMAGES_DIR = "assets/images"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_LINK = re.compile(r"!\[(?P<alt>(?:\\.|[^\]\\])*)\]\((?P<url>[^)\s]+)\)")
_SIGNATURES = ((b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF87a", "gif"), (b"GIF89a", "gif"))


def sniff(data: bytes) -> str | None:
    """The file extension of a JPEG, PNG, GIF, WebP or AVIF image, from its first bytes; None for anything else."""
    for signature, ext in _SIGNATURES:
        if data.startswith(signature):
            return ext
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp" and data[8:12] in (b"avif", b"avis"):
        return "avif"
    return None


@dataclass(frozen=True)
class ImagePolicy:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_per_article: int = 50
    interval: float = 0.5  # seconds between two requests to one image server


@dataclass
class ImageReport:
    stored: int = 0      # new files written
    reused: int = 0      # already in the archive (the same content)
    failed: dict[str, int] = field(default_factory=dict)  # reason → count; those keep their remote link


class ImageStore:
    """Localizes the images of articles written into `archive`; thread-safe (batch workers share one)."""

    def __init__(self, archive: str | Path, options: FetchOptions = FetchOptions(),
                 policy: ImagePolicy = ImagePolicy()) -> None:
        self.archive = Path(archive).expanduser()
        self.options = replace(options, max_bytes=policy.max_bytes)
        self.policy = policy
        self.report = ImageReport()
        self.written: list[Path] = []        # files this store wrote (for --git-commit)
        self._by_url: dict[str, str] = {}    # image URL → local link, for this run
        self._lock = threading.Lock()
        self._hosts: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._local = threading.local()

    def localize(self, article: Article) -> Article:
        """`article` with its image links pointing into the archive (those that could be stored)."""
        base = article.url or ""
        wanted: list[str] = []
        for match in _LINK.finditer(article.markdown):
            wanted.append(match.group("url"))
        if article.image:
            wanted.append(article.image)
        local: dict[str, str] = {}
        for raw in dict.fromkeys(wanted).keys():
            if len(local) >= self.policy.max_per_article:
                break
            absolute = urljoin(base, raw) if base else raw
            if urlsplit(absolute).scheme not in ("http", "https"):
                continue
            link = self._store(absolute, referer=base)
            if link:
                local[raw] = link
        if not local:
            return article
        markdown = _LINK.sub(lambda m: f"![{m.group('alt')}]({local.get(m.group('url'), m.group('url'))})",
                             article.markdown)
        return replace(article, markdown=markdown, image=local.get(article.image, article.image)
                       if article.image else article.image)

    def _store(self, url: str, *, referer: str) -> str | None:
        with self._lock:
            if url in self._by_url:
                return self._by_url[url]
            host_lock = self._hosts.setdefault(urlsplit(url).netloc.lower(), threading.Lock())
        with host_lock:  # one request at a time per image server, `interval` apart
            with self._lock:  # another worker may have stored this address while we waited for the server
                if url in self._by_url:
                    return self._by_url[url]
            host = urlsplit(url).netloc.lower()
            wait = self._last.get(host, 0.0) + self.policy.interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                data, content_type = self._get(url, referer)
            except NewsfetchError as error:
                return self._fail(error.message)
            finally:
                self._last[host] = time.monotonic()
        ext = sniff(data)
        if not content_type.startswith("image/") or ext is None:
            return self._fail(f"not an image ({content_type or 'no Content-Type'})")
        name = f"{hashlib.sha256(data).hexdigest()[:20]}.{ext}"
        path = self.archive / IMAGES_DIR / name
        with self._lock:
            if os.path.lexists(path):  # a link planted there is not written through
                self.report.reused += 1
            else:
                replace_file(path, data, root=self.archive)
                self.written.append(path)
                self.report.stored += 1
            link = f"/{IMAGES_DIR}/{name}"
            self._by_url[url] = link
        return link

    def _get(self, url: str, referer: str) -> tuple[bytes, str]:
        fetcher = getattr(self._local, "fetcher", None)
        if fetcher is None:  # one client per thread: requests sessions are not thread-safe
            fetcher = self._local.fetcher = Fetcher(self.options)
            fetcher.session.headers["Accept"] = "image/avif,image/webp,image/png,image/jpeg,image/*;q=0.8"
        fetcher.session.headers["Referer"] = referer  # image servers often refuse requests without one
        response = fetcher.get(url, accept_any=True)
        return response.content, (response.content_type or "").split(";")[0].strip().lower()

    def _fail(self, reason: str) -> str | None:
        with self._lock:
            self.report.failed[reason] = self.report.failed.get(reason, 0) + 1
        return None

    def summary(self) -> str:
        failed = sum(self.report.failed.values())
        reasons = ", ".join(f"{r} {n}" for r, n in sorted(self.report.failed.items(), key=lambda kv: -kv[1]))
        return (f"images: {self.report.stored} stored, {self.report.reused} already in the archive, {failed} kept "
                f"remote" + (f" ({reasons})" if reasons else ""))
