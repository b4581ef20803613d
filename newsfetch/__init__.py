"""newsfetch: news pages → clean Markdown with YAML front matter.

The stable API: ``extract(html, url=None) -> Article`` and ``fetch(url) -> Article``; ``render_post`` turns an
Article into a Jekyll post.
"""

from __future__ import annotations

__version__ = "0.1.0"  # before the imports: fetch.py reads it for the User-Agent

from .article import Article  # noqa: E402
from .errors import ContentError, FetchError, NewsfetchError, ParseError  # noqa: E402
from .fetch import FetchOptions  # noqa: E402
from .pipeline import extract, fetch  # noqa: E402
from .render import PostStyle, render_json, render_post  # noqa: E402

__all__ = [
    "Article", "ContentError", "FetchError", "FetchOptions", "NewsfetchError", "ParseError", "PostStyle",
    "__version__", "extract", "fetch", "render_json", "render_post",
]
