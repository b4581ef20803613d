"""Article → Jekyll post: YAML front matter (written by PyYAML, in a fixed key order) + Markdown body."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import tzinfo
from string import Formatter
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from .article import Article
from .dates import jekyll_date
from .markdown import promote_subheads
from .outlets import outlet_name
from .slugs import slugify
from .tracking import without_credentials


@dataclass(frozen=True)
class PostStyle:
    """How posts are written: the archive's layout, time zone and category/tag templates.

    Templates are `str.format` strings over ``source`` (the outlet's one name, `newsfetch.outlets.outlet_name`:
    ``澎湃新闻-The Paper`` → ``澎湃新闻``), ``source_slug`` (its pinyin slug), ``site`` and ``parser``. A value
    that already ends with the text the template puts after it does not get it twice (``{source}新闻`` with
    界面新闻 → 界面新闻, not 界面新闻新闻). An empty template, or one naming a field the article lacks, writes no key.
    """

    layout: str = "post"
    timezone: str = "Asia/Shanghai"
    category: str = "{source_slug}"
    tag: str = "{source}新闻"
    outlets: tuple[tuple[str, str], ...] = ()  # the archive's [outlets] aliases (see newsfetch.outlets)
    subheads: str = "bold"  # "heading": a bold line alone between paragraphs becomes ## (markdown.promote_subheads)

    @property
    def tz(self) -> tzinfo:
        return ZoneInfo(self.timezone)


# libyaml's emitter when PyYAML was built with it (the wheels are): the pure-Python one is most of the
# time of writing a post. Both emit the same bytes for the plain mappings of strings and lists written here.
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def front_matter(article: Article, style: PostStyle = PostStyle()) -> dict[str, Any]:
    """The front matter fields in their fixed order; absent facts are left out, never invented."""
    data: dict[str, Any] = {"layout": style.layout, "title": article.title}
    if article.published:
        data["date"] = jekyll_date(article.published, style.tz)
    if article.modified:  # the key Jekyll plug-ins (jekyll-last-modified-at, jekyll-seo-tag) read
        data["last_modified_at"] = jekyll_date(article.modified, style.tz)
    outlet = outlet_name(article.source, dict(style.outlets)) if article.source else None
    values = {"source": outlet, "source_slug": slugify(outlet) if outlet else None,
              "site": article.site, "parser": article.parser}
    for key, template in (("categories", style.category), ("tags", style.tag)):
        value = _fill(template, values)
        if value:
            data[key] = value
    optional = {
        "source": article.source,
        "url": without_credentials(article.url) if article.url else None,  # a user:pass@ never reaches a post
        "author": _one_or_list(article.authors),
        "editor": _one_or_list(article.editors),
        "original_title": article.original_title,
        "section": article.section,
        "image": article.image,
        "stocks": list(article.stocks) or None,
    }
    data.update({key: value for key, value in optional.items() if value})
    if article.parser != "normalize":
        data["parser"] = f"{article.parser}@{article.parser_version}"
    for key in sorted(article.extra):
        if article.extra[key] not in (None, "", [], {}):
            data[key] = article.extra[key]
    return data


def render_post(article: Article, style: PostStyle = PostStyle()) -> str:
    """The whole post: ``---``, front matter, ``---``, blank line, body. Same article → same bytes."""
    body = promote_subheads(article.markdown) if style.subheads == "heading" else article.markdown
    return dump_front_matter(front_matter(article, style)) + "\n" + body


def dump_front_matter(data: dict[str, Any]) -> str:
    """YAML between ``---`` lines; PyYAML quotes whatever needs quoting (``: ``, quotes, ``#``…)."""
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000,
                     default_flow_style=False)
    return f"---\n{text}---\n"


def render_json(article: Article, style: PostStyle = PostStyle()) -> str:
    """The front matter fields plus ``text`` and ``markdown``, as one JSON object."""
    data = front_matter(article, style)
    data["published"] = article.published.isoformat() if article.published else None
    data["text"] = article.text
    data["markdown"] = article.markdown
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def _fill(template: str, values: dict[str, str | None]) -> str | None:
    if not template:
        return None
    present = {k: v for k, v in values.items() if v}
    parts = []
    try:
        pieces = list(Formatter().parse(template))
        for index, (literal, name, spec, conversion) in enumerate(pieces):
            parts.append(literal)
            if name is None:
                continue
            value = format(Formatter().convert_field(present[name], conversion), spec or "")
            following = pieces[index + 1][0] if index + 1 < len(pieces) else ""
            if following and value.endswith(following):  # 界面新闻 + 新闻: the name says it already
                value = value[: -len(following)]
            parts.append(value)
    except (KeyError, IndexError, ValueError):
        return None
    return "".join(parts).strip() or None


def _one_or_list(names: tuple[str, ...]) -> str | list[str] | None:
    if not names:
        return None
    return names[0] if len(names) == 1 else list(names)
