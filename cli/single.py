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
from newsfetch.errors import InputError
from newsfetch.fetch import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT, FetchOptions, check_url
from newsfetch.output import write_atomic
from newsfetch.pipeline import extract, fetch, read_file

from .app import app, stderr


class Format(str, Enum):
    md = "md"
    json = "json"


class Images(str, Enum):
    remote = "remote"
    local = "local"


OutputOption = typer.Option(None, "--output", "-o", help="Write to this file (atomically) instead of stdout.",
                            dir_okay=False)
FormatOption = typer.Option(Format.md, "--format", "-f", help="md: Jekyll post; json: the same fields plus text and markdown.")
ArchiveOption = typer.Option(None, "--archive", "-a", help="Write the post into this Jekyll archive (_posts/).",
                             file_okay=False)
ImagesOption = typer.Option(Images.remote, "--images", help="remote: keep image links as they are; local (with "
                            "--archive): copy the images into assets/images/ and link those.")


def _emit(article: Article, output: Path | None, fmt: Format, archive: Path | None,
          images: Images = Images.remote, fetch_options: FetchOptions = FetchOptions()) -> None:
    if images is Images.local and archive is None:
        raise typer.BadParameter("local needs --archive DIR (the images are stored in the archive)",
                                 param_hint="--images")
    if archive is not None:
        from newsfetch.archive.writer import write_article  # archive mode lives in its own package

        archive = require_archive(archive)
        if images is Images.local:
            from newsfetch.images import ImageStore

            store = ImageStore(archive, fetch_options)
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
    link: str = typer.Argument(..., help="Article address (http or https)."),
    output: Path | None = OutputOption,
    fmt: Format = FormatOption,
    archive: Path | None = ArchiveOption,
    images: Images = ImagesOption,
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", help="Seconds to wait for the server.", min=0.1),
    user_agent: str = typer.Option(DEFAULT_USER_AGENT, "--user-agent", help="User-Agent header to send."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", help="Refuse responses larger than this.", min=1),
) -> None:
    """Fetch one article and print it as Markdown with YAML front matter.

    Example: newsfetch url https://finance.eastmoney.com/a/202112302231746483.html -o post.md
    """
    if archive is not None:
        archive = require_archive(archive)  # before the fetch: a typo in the folder should not cost a request
    options = FetchOptions(timeout=timeout, user_agent=user_agent, max_bytes=max_bytes)
    article = fetch(link, options=options)
    _emit(article, output, fmt, archive, images, options)


@app.command("file")
def file_command(
    path: str = typer.Argument(..., help="Saved HTML page, or - for standard input."),
    url: str | None = typer.Option(None, "--url", "-u", help="The page's address (else its canonical link is used)."),
    output: Path | None = OutputOption,
    fmt: Format = FormatOption,
    archive: Path | None = ArchiveOption,
    images: Images = ImagesOption,
) -> None:
    """Extract the article from a saved HTML page (or stdin) and print it.

    Example: newsfetch file page.html --url https://www.chinanews.com.cn/cj/2021/12-30/9641234.shtml
    """
    if url is not None:
        url = check_url(url)  # a typo here would silently pick the wrong parser and break every link
    data = sys.stdin.buffer.read() if path == "-" else read_file(os.path.expanduser(path))
    where = "<stdin>" if path == "-" else path
    try:
        article = extract(data, url)
    except Exception as error:
        if hasattr(error, "where") and not getattr(error, "where", None):
            error.where = where  # name the file when the page itself had no address
        raise
    _emit(article, output, fmt, archive, images)
