"""Bytes → text, the way a browser does it: BOM, HTTP charset, <meta charset>, then detection.

Chinese sites label GBK pages as gb2312 (or mislabel them as utf-8): gb2312/gbk are read as gb18030, its
superset, and a declared charset that fails on the bytes gives way to the others. An ``<?xml … encoding=…?>``
declaration counts as a declared charset. gb18030 accepts most byte sequences, so it is tried blind only on a
page that says it is Chinese (a CJK charset declared, ``lang="zh…"``); a Western page whose ``<meta charset>``
disagrees with its bytes (Latin-1 labelled utf-8) goes to detection instead of turning into Chinese mojibake.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from .errors import ContentError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG-style aliases: what pages say → what to decode with.
_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
    "cp936": "gb18030", "euc-cn": "gb18030", "iso-8859-1": "cp1252", "latin1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252", "utf8": "utf-8", "big5": "big5hkscs",
}
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_CHINESE_LANG = re.compile(rb"""\blang\s*=\s*["']?zh""", re.I)
_CJK_CODECS = frozenset(("gb18030", "big5hkscs", "big5", "euc_jp", "shift_jis", "euc_kr", "cp949", "iso2022_jp"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BINARY_MAGIC = {
    b"%PDF": "a PDF document", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image", b"PK\x03\x04": "a ZIP archive", b"\x1f\x8b": "gzip data",
    b"RIFF": "a RIFF (WebP/WAV) file", b"\x00\x00\x01\x00": "an icon",
}


def normalize_charset(name: str | None) -> str | None:
    """Map a declared charset to the codec we decode it with, or None if Python does not know it."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.I)
    return match.group(1) if match else None


def sniff_binary(data: bytes) -> str | None:
    """Describe `data` if it is plainly not text (PDF, image, archive), else None."""
    head = data[:8]
    for magic, what in _BINARY_MAGIC.items():
        if head.startswith(magic):
            return what
    if b"\x00" in data[:1024] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "binary data"
    return None


def decode_html(data: bytes, content_type: str | None = None, *, where: str | None = None) -> str:
    """Decode an HTML document; raise ContentError when it is binary, empty or undecodable."""
    if not data.strip():
        raise ContentError("empty page", where=where, reason="empty")
    if (text := _labelled_utf16(data, content_type)) is not None:  # its NUL bytes would look binary below
        return text
    what = sniff_binary(data)
    if what:
        raise ContentError(f"not an HTML page (looks like {what})", where=where)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace")
    candidates = [
        normalize_charset(charset_from_content_type(content_type)),
        _meta_charset(data),
        _xml_encoding(data),
    ]
    for codec in candidates:
        if codec and (text := _strict(data, codec)) is not None:
            return text
    # Declared charsets failed or were absent: utf-8 is strict enough to be a reliable test,
    # and gb18030 covers the Chinese pages that mislabel themselves.
    if (text := _strict(data, "utf-8")) is not None:
        return text
    chinese = any(c in _CJK_CODECS for c in candidates if c) or bool(_CHINESE_LANG.search(data[:8192]))
    if chinese and (text := _strict(data, "gb18030")) is not None:
        return text
    if not chinese and (text := _western(data)) is not None:
        return text
    best = _detect(data)
    if best:
        return data.decode(best, errors="replace")
    if (text := _strict(data, "gb18030")) is not None:
        return text
    declared = next((c for c in candidates if c), None)
    if declared and _mostly_decodes(data, declared):
        return data.decode(declared, errors="replace")
    raise ContentError("cannot decode the page (unknown or broken character encoding)", where=where,
                       reason="undecodable")


def _labelled_utf16(data: bytes, content_type: str | None) -> str | None:
    """A page the server labels UTF-16 and sends without a BOM: the byte order is where the NULs of its ASCII
    markup fall (``<`` is ``3c 00`` in little-endian). None when it is not that, or does not decode."""
    label = (charset_from_content_type(content_type) or "").lower().replace("_", "-")
    if not label.startswith("utf-16") or any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    head = data[:4000]
    codec = {"utf16le": "utf-16-le", "utf16be": "utf-16-be"}.get(label.replace("-", ""))
    if codec is None:
        codec = "utf-16-le" if head[1::2].count(0) >= head[0::2].count(0) else "utf-16-be"
    text = _strict(data, codec)
    return text if text is not None and "<" in text[:2000] else None


def _detect(data: bytes) -> str | None:
    """charset-normalizer's guess, except that windows-1252 wins a near tie, as it does in browsers.

    On short Western pages the detector often ranks a Baltic or Central European code page first by a hair
    (``déjà`` read as ``déją``); windows-1252 is the web's fallback for unlabelled Western text.
    """
    matches = charset_normalizer.from_bytes(data[:200_000])
    best = matches.best()
    if best is None or not best.encoding:
        return None
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos + 0.05 and match.coherence >= best.coherence:
            return "cp1252"
    return normalize_charset(best.encoding) or best.encoding


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_LATIN_TEXT = re.compile(r"[\u00c0-\u00ff\u2018-\u201e\u2013\u2014\u2026\u20ac\u00a0-\u00bf]")


def _western(data: bytes) -> str | None:
    """windows-1252 text when its non-ASCII characters read as lone accented letters and typographic
    punctuation (a Latin-1 page that declares another charset); detectors misjudge short Western pages."""
    text = _strict(data, "cp1252")
    if text is None:
        return None
    # counted by regex scans in C, not by a loop per character (a Chinese page read this way has tens of thousands)
    stretches = _NON_ASCII_RUN.findall(text)
    foreign = sum(map(len, stretches))  # non-ASCII characters
    if not foreign:
        return text
    latin = len(_LATIN_TEXT.findall(text))  # every character of the class is non-ASCII
    # accents sit alone inside words ("café"); Chinese or Cyrillic bytes read this way come in runs: count the
    # non-ASCII characters that follow another one (all but the first of each stretch)
    runs = foreign - len(stretches)
    return text if latin >= 0.9 * foreign and runs <= 0.2 * foreign else None


def _xml_encoding(data: bytes) -> str | None:
    match = _XML_ENCODING.match(data[:512])
    return normalize_charset(match.group(1).decode("ascii", "replace")) if match else None


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    return normalize_charset(match.group(1).decode("ascii", "replace"))


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _mostly_decodes(data: bytes, codec: str) -> bool:
    """True when at most 1 in 200 characters is broken: a real page with a few bad bytes."""
    text = data.decode(codec, errors="replace")
    return text.count("\ufffd") * 200 <= len(text)
