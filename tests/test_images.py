"""`--images local` (newsfetch.images) against a local server: stored by content hash under assets/images/, links
rewritten, one file for one picture across posts and addresses, size cap and type check, failures keep the link."""

from __future__ import annotations

import struct
import subprocess
import zlib
from datetime import datetime, timezone
from pathlib import Path

from newsfetch.article import Article
from newsfetch.fetch import FetchOptions
from newsfetch.images import ImagePolicy, ImageStore, sniff
from tests.support.cli import run_cli
from tests.support.pages import article_page
from tests.support.server import LocalServer, Reply


def png(width: int, height: int) -> bytes:
    """A real, valid PNG (gray pixels)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


PNG = {"Content-Type": "image/png"}
SMALL = png(8, 8)


def routes() -> dict:
    return {
        "/img/a.png": Reply(SMALL, headers=PNG),
        "/cdn/copy-of-a.png": Reply(SMALL, headers=PNG),              # the same picture at another address
        "/img/b.png": Reply(png(16, 4), headers=PNG),
        "/img/fake.png": Reply(b"<html>not an image</html>", headers=PNG),  # the type lies: the signature decides
        "/img/logo.svg": Reply(b"<svg xmlns='http://www.w3.org/2000/svg'><script>x</script></svg>",
                               headers={"Content-Type": "image/svg+xml"}),
        "/img/big.png": Reply(png(400, 400) + b"\0" * 300_000, headers=PNG),
        "/img/page.html": Reply(b"<html></html>"),
    }


def article(server: LocalServer, *paths: str, n: int = 1) -> Article:
    body = "\n\n".join(f"第{i}段。\n\n![图{i}]({server.url(p)})" for i, p in enumerate(paths))
    return Article(title="t", url=server.url(f"/a/{n}.html"), source="中国新闻网", markdown=body + "\n",
                   published=datetime(2024, 1, 2, 10, 0, tzinfo=timezone.utc), image=server.url(paths[0]))


def test_sniff() -> None:
    assert sniff(SMALL) == "png" and sniff(b"\xff\xd8\xff\xe0....") == "jpg" and sniff(b"GIF89a...") == "gif"
    assert sniff(b"RIFF\0\0\0\0WEBPVP8 ") == "webp" and sniff(b"\0\0\0\x1cftypavif") == "avif"
    assert sniff(b"<svg") is None and sniff(b"<html>") is None and sniff(b"") is None


def test_store_rewrites_dedupes_and_refuses(tmp_path: Path) -> None:
    with LocalServer(routes()) as server:
        store = ImageStore(tmp_path, FetchOptions(timeout=5), ImagePolicy(max_bytes=200_000, interval=0.0))
        paths = ("/img/a.png", "/cdn/copy-of-a.png", "/img/b.png", "/img/fake.png", "/img/logo.svg",
                 "/img/big.png", "/img/gone.png", "/img/page.html")
        first = store.localize(article(server, *paths))
        again = store.localize(article(server, "/img/a.png", "/img/b.png", n=2))  # another post, same pictures
        hits_after = {p: server.hits(p) for p in paths}
    files = sorted((tmp_path / "assets" / "images").iterdir())
    assert [f.suffix for f in files] == [".png", ".png"]                    # a.png (= copy-of-a.png) and b.png
    assert sorted(f.read_bytes() for f in files) == sorted([SMALL, png(16, 4)])
    links = {f"/assets/images/{f.name}" for f in files}
    local_a = next(link for link in links if (tmp_path / link[1:]).read_bytes() == SMALL)
    assert f"![图0]({local_a})" in first.markdown and f"![图1]({local_a})" in first.markdown
    assert first.image == local_a
    for kept in ("/img/fake.png", "/img/logo.svg", "/img/big.png", "/img/gone.png", "/img/page.html"):
        assert f"({server.url(kept)})" in first.markdown                    # refused: the remote link stays
    assert again.markdown.count("/assets/images/") == 2
    assert hits_after["/img/a.png"] == 1 and hits_after["/img/b.png"] == 1  # asked once per run
    assert store.report.stored == 2 and store.report.reused == 1 and sum(store.report.failed.values()) == 5
    assert sorted(store.written) == files


def test_batch_images_local_and_git_commit(tmp_path: Path) -> None:
    news = tmp_path / "news"
    assert run_cli("init", str(news)).returncode == 0
    subprocess.run(["git", "-C", str(news), "config", "user.name", "T"], check=True)
    subprocess.run(["git", "-C", str(news), "config", "user.email", "t@example.com"], check=True)
    with LocalServer(routes()) as server:
        pages = {}
        for n in (1, 2):
            page = article_page(n).decode("utf-8").replace(
                "<p>　　第二段", f'<p><img src="{server.url("/img/a.png")}" alt="配图"></p>\n<p>　　第二段')
            pages[f"/a/{n}.html"] = Reply(page.encode("utf-8"))
        server.routes.update(pages)
        urls = "".join(server.url(p) + "\n" for p in pages)
        run = run_cli("batch", "-", "--archive", str(news), "--images", "local", "--git-commit", "--rate", "0",
                      input=urls.encode())
        single = run_cli("url", server.url("/a/1.html"), "--images", "local")
    assert run.returncode == 0, run.stderr
    # the two posts share one address: fetched and stored once, whichever worker comes second reuses the link
    assert "images: 1 stored, 0 already in the archive, 0 kept remote" in run.stderr
    images = list((news / "assets" / "images").iterdir())
    assert len(images) == 1
    for post in (news / "_posts").glob("*.md"):
        assert f"![配图](/assets/images/{images[0].name})" in post.read_text(encoding="utf-8")
    committed = subprocess.run(["git", "-C", str(news), "show", "--name-only", "--format=%s", "HEAD"],
                               capture_output=True, text=True, check=True).stdout.split("\n")
    assert committed[0] == "newsfetch: 2 posts new, 1 site page, 1 image"
    assert f"assets/images/{images[0].name}" in committed
    assert single.returncode == 2 and "local needs --archive" in single.stderr  # a usage error
