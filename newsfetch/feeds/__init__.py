"""Feed sources: feed addresses (RSS/Atom, sitemaps, JSON lists, Eastmoney's news lists…) into article entries.

Built-ins are listed in `registry.BUILT_IN`; plug-ins come from the ``newsfetch.feeds`` entry-point group.
"""

from .base import BadRecord, Document, FeedContext, FeedEntry, FeedSource
from .read import FeedRead, read_feed
from .registry import FeedRegistry, default_feeds

__all__ = ["BadRecord", "Document", "FeedContext", "FeedEntry", "FeedRead", "FeedRegistry", "FeedSource",
           "default_feeds", "read_feed"]
