"""newsfetch: news pages → clean Markdown with YAML front matter.

The stable API: ``extract(html, url=None) -> Article`` and ``fetch(url) -> Article``; ``render_post`` turns an
Article into a Jekyll post.
"""

from __future__ import annotations

import os as _os

__version__ = "0.1.0"

# Installed, pyproject maps cli/ and parsers/ to newsfetch.cli and newsfetch.parsers. In a source checkout
# they sit beside this folder, and this folder shadows any installed copy whenever the checkout is on sys.path
# (`python -m pytest` or `python -m newsfetch` run from it): let the package find them there too.
_checkout = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
if all(_os.path.isfile(_os.path.join(_checkout, *part)) for part in
       (("pyproject.toml",), ("cli", "__init__.py"), ("parsers", "base.py"))):
    __path__.append(_checkout)  # type: ignore[name-defined]  # noqa: F821 (set by the import system)

from .article import Article  # noqa: E402
from .errors import ContentError, FetchError, NewsfetchError, ParseError  # noqa: E402
from .fetch import FetchOptions  # noqa: E402
from .pipeline import extract, fetch  # noqa: E402
from .render import PostStyle, render_json, render_post  # noqa: E402

__all__ = [
    "Article", "ContentError", "FetchError", "FetchOptions", "NewsfetchError", "ParseError", "PostStyle",
    "__version__", "extract", "fetch", "render_json", "render_post",
]
