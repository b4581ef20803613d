"""`newsfetch url` and `newsfetch file`: one article to stdout, a file, or an archive."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path

import typer

from newsfetch import render_json, render_post
from newsfetch.archive.scaffold import require_archive
from newsfetch.article import Article
from newsfetch.errors import InputError, NewsfetchError
from newsfetch.fetch import check_url
from newsfetch.output import write_atomic
from newsfetch.pipeline import extract, fetch, read_capped, read_file
from newsfetch.fetch import FetchOptions
from newsfetch.settings import fetch_options

from .app import app, stderr
from .options import archive_option, effective, json_option, max_bytes_option, timeout_option, user_agent_option


class Format(str, Enum):
    md = "md"
    json = "json"


class Images(str, Enum):
    remote = "remote"
    local = "local"


ImagesOption = typer.Option(Images.remote, "--images", help="remote: keep image links as they are; local (with "
                            "--archive): copy the images into assets/images/ and link those.")
OutputOption = typer.Option(None, "--output", "-o", metavar="FILE", dir_okay=False,
                            help="Write to this file (atomically) instead of printing.")
JsonOption = json_option("Print the fields, the text and the Markdown as one JSON object instead of a post.")
FormatOption = typer.Option(Format.md, "--format", "-f", hidden=True, help="md or json (old spelling of --json).")
ArchiveOption = archive_option("Write the post into this Jekyll archive (under _posts/), using its newsfetch.toml.")


def _emit(article: Article, output: Path | None, fmt: Format, archive: Path | None,
          images: Images = Images.remote, fetch_with: FetchOptions = FetchOptions()) -> None:
    if images is Images.local and archive is None:
        raise typer.BadParameter("local needs --archive DIR (the images are stored in the archive)",
                                 param_hint="--images")
    if archive is not None:
        from newsfetch.archive.writer import write_article  # archive mode lives in its own package
        from newsfetch.batch.lock import ArchiveLock

        archive = require_archive(archive)
        # the lock batch and normalize take: never two writers on one archive (images are written too)
        with ArchiveLock(archive, hint="try again when it has finished"):
            if images is Images.local:
                from newsfetch.images import ImageStore

                store = ImageStore(archive, fetch_with)
                article = store.localize(article)
                stderr.print(f"newsfetch: {store.summary()}", markup=False)
            outcome = write_article(archive, article)
        stderr.print(f"{outcome.status}: {outcome.path}", markup=False)
        return
    text = render_json(article) if fmt is Format.json else render_post(article)
    try:
        if output is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            write_atomic(output.expanduser(), text.encode("utf-8"))
    except BrokenPipeError:
        # the reader went away (`| head`): nothing to report; keep Python from complaining at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError as error:
        where = str(output) if output is not None else "<stdout>"
        raise InputError(f"cannot write the output ({error.strerror or error})", where=where) from None


@app.command("url")
def url_command(
    link: str = typer.Argument(..., metavar="URL", help="Article address (http or https)."),
    output: Path | None = OutputOption,
    as_json: bool = JsonOption,
    fmt: Format = FormatOption,
    archive: Path | None = ArchiveOption,
    images: Images = ImagesOption,
    timeout: float | None = timeout_option(),
    user_agent: str | None = user_agent_option(),
    max_bytes: int | None = max_bytes_option(),
) -> None:
    """Fetch one article and print it as Markdown with YAML front matter.

    Examples:

    \b
      newsfetch url https://finance.eastmoney.com/a/202112302231746483.html -o post.md
      newsfetch url https://www.chinanews.com.cn/cj/2021/12-30/9641234.shtml --json
    """
    if archive is not None:
        archive = require_archive(archive)  # before the fetch: a typo in the folder should not cost a request
    settings = effective(archive, {"fetch.timeout": timeout, "fetch.user_agent": user_agent,
                                   "fetch.max_bytes": max_bytes})
    options = fetch_options(settings)
    article = fetch(link, options=options)
    _emit(article, output, Format.json if as_json else fmt, archive, images, options)


@app.command("file")
def file_command(
    path: str = typer.Argument(..., metavar="FILE", help="Saved HTML page, or - for standard input."),
    url: str | None = typer.Option(None, "--url", "-u", metavar="URL",
                                   help="The page's address (else its canonical link is used)."),
    output: Path | None = OutputOption,
    as_json: bool = JsonOption,
    fmt: Format = FormatOption,
    archive: Path | None = ArchiveOption,
    images: Images = ImagesOption,
    max_bytes: int | None = max_bytes_option(),
) -> None:
    """Extract the article from a saved HTML page (or standard input) and print it.

    Examples:

    \b
      newsfetch file page.html --url https://www.chinanews.com.cn/cj/2021/12-30/9641234.shtml
      curl -s https://example.com/news/1.html | newsfetch file - --archive ~/news
    """
    # a bad newsfetch.toml is reported before any work; the page (file or stdin) is read up to the size cap
    max_bytes = effective(archive, {"fetch.max_bytes": max_bytes})["fetch.max_bytes"]
    if url is not None:
        url = check_url(url)  # a typo here would silently pick the wrong parser and break every link
    data = read_capped(sys.stdin.buffer, max_bytes, "<stdin>") if path == "-" else \
        read_file(os.path.expanduser(path), max_bytes=max_bytes)
    where = "<stdin>" if path == "-" else path
    try:
        article = extract(data, url)
    except NewsfetchError as error:
        error.where = error.where or where  # name the file when the page itself had no address
        raise
    _emit(article, output, Format.json if as_json else fmt, archive, images)
