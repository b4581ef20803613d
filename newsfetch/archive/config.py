"""The archive's settings (table ``[archive]`` of ``newsfetch.toml``), as the writer and the index need them.

The keys, defaults and checks are declared in `newsfetch.settings` (the one loader); this is their typed view.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newsfetch.render import PostStyle
from newsfetch.settings import CONFIG_NAME, Settings, default, load_settings

__all__ = ["CONFIG_NAME", "ArchiveConfig", "load_config"]


@dataclass(frozen=True)
class ArchiveConfig:
    """Settings of one archive; `style` is what the core renderer needs."""

    layout: str = default("archive.layout")
    timezone: str = default("archive.timezone")
    category: str = default("archive.category")
    tag: str = default("archive.tag")
    posts_dir: str = default("archive.posts_dir")
    category_layout: str = default("archive.category_layout")
    subheads: str = default("archive.subheads")  # or "heading": see newsfetch.markdown.promote_subheads
    outlets: tuple[tuple[str, str], ...] = ()    # table [outlets]: "spelling" = "the outlet's one name"

    @property
    def style(self) -> PostStyle:
        return PostStyle(layout=self.layout, timezone=self.timezone, category=self.category, tag=self.tag,
                         outlets=self.outlets, subheads=self.subheads)

    @classmethod
    def from_settings(cls, settings: Settings) -> ArchiveConfig:
        return cls(**settings.table("archive"), outlets=settings.outlets)


def load_config(archive: str | Path) -> ArchiveConfig:
    """The config of the archive rooted at `archive` (defaults when it has no ``newsfetch.toml``).

    Raises ConfigError (an ArchiveError, exit 8) when the file is unreadable or names something unknown.
    """
    return ArchiveConfig.from_settings(load_settings(archive))
