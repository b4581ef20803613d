"""Decoding bytes like a browser: BOM, then HTTP charset, then <meta charset>, then detection.

gb2312/gbk are read as gb18030 (their superset: 镕 and 堃 are not in GB2312), and a declared charset that
fails on the bytes gives way to the next candidate.
"""

from __future__ import annotations

import codecs

import pytest

from newsfetch.decode import charset_from_content_type, decode_html, normalize_charset, sniff_binary
from newsfetch.errors import ContentError

TEXT = "<p>财政部：镕、堃、喆等生僻字也能申报。</p>"


def page(meta: str = "", body: str = TEXT) -> str:
    return f"<html><head>{meta}<title>t</title></head><body>{body}</body></html>"


@pytest.mark.parametrize("declared,codec", [
    ("gb2312", "gb18030"), ("GBK", "gb18030"), ("x-gbk", "gb18030"), ("cp936", "gb18030"),
    ("UTF8", "utf-8"), ("utf-8", "utf-8"), ("iso-8859-1", "cp1252"), ("Big5", "big5hkscs"),
    ('"gb2312"', "gb18030"), ("x-unknown-charset", None), ("", None), (None, None),
])
def test_normalize_charset(declared, codec):
    assert normalize_charset(declared) == codec


@pytest.mark.parametrize("header,charset", [
    ("text/html; charset=GBK", "GBK"), ('text/html; charset="utf-8"', "utf-8"),
    ("text/html;charset=gb2312;q=1", "gb2312"), ("text/html", None), (None, None),
])
def test_charset_from_content_type(header, charset):
    assert charset_from_content_type(header) == charset


def test_gb2312_meta_reads_characters_outside_gb2312():
    data = page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">').encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb2312")  # the page really needs the superset
    assert "镕、堃、喆" in decode_html(data)


def test_http_charset_wins_over_meta():
    data = page('<meta charset="utf-8">').encode("gb18030")
    assert "镕、堃、喆" in decode_html(data, "text/html; charset=gbk")


def test_meta_charset_when_the_header_has_none():
    data = page('<meta charset="gbk">').encode("gb18030")
    assert "镕、堃、喆" in decode_html(data, "text/html")


def test_header_that_lies_gives_way():
    """Labelled utf-8 in both header and meta, but the bytes are GBK: the label fails, gb18030 reads it."""
    data = page('<meta charset="utf-8">').encode("gb18030")
    assert "镕、堃、喆" in decode_html(data, "text/html; charset=utf-8")


@pytest.mark.parametrize("codec", ["utf-8", "gb18030"])
def test_no_label_at_all(codec):
    assert "镕、堃、喆" in decode_html(page().encode(codec))


def test_bom_wins_over_every_label():
    data = codecs.BOM_UTF8 + page('<meta charset="gbk">').encode("utf-8")
    text = decode_html(data, "text/html; charset=gbk")
    assert "镕、堃、喆" in text and not text.startswith("\ufeff")


def test_utf16_with_bom():
    data = codecs.BOM_UTF16_LE + page().encode("utf-16-le")
    assert "镕、堃、喆" in decode_html(data)


def test_detection_for_a_western_page_without_labels():
    data = page(body="<p>Le café du coin a rouvert ses portes, déjà complet à midi.</p>").encode("cp1252")
    text = decode_html(data)
    assert "café" in text and "déjà" in text


@pytest.mark.parametrize("data,what", [
    (b"%PDF-1.7\n...", "a PDF document"), (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"), (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04\x14\x00", "a ZIP archive"), (b"\x1f\x8b\x08\x00", "gzip data"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00", "binary data"),
])
def test_binary_is_refused(data, what):
    assert sniff_binary(data) == what
    with pytest.raises(ContentError, match=f"looks like {what}"):
        decode_html(data, where="page.bin")


def test_text_is_not_binary():
    assert sniff_binary(page().encode("utf-8")) is None
    assert sniff_binary(codecs.BOM_UTF16_LE + "<html>".encode("utf-16-le")) is None


@pytest.mark.parametrize("data", [b"", b"   \r\n\t "])
def test_empty(data):
    with pytest.raises(ContentError, match="empty page") as caught:
        decode_html(data, where="http://example.com/a")
    assert caught.value.where == "http://example.com/a"


def test_undecodable_bytes():
    with pytest.raises(ContentError, match="cannot decode"):
        decode_html(bytes(range(128, 256)) * 20)


def test_detection_keeps_a_non_western_single_byte_page():
    body = "<p>Президент заявил, что экономика страны продолжает расти несмотря на санкции и давление.</p>" * 3
    assert "экономика" in decode_html(page(body=body).encode("cp1251"))


# --- declarations that disagree with the bytes (issue 10: real pages of the labelled sets) ----------------------

def test_a_latin1_page_labelled_utf8_reads_as_latin_not_as_chinese():
    # gb18030 accepts "é" + a letter as one Chinese character: Dragnet page R757 came out as "抯" for "’s"
    html = "<html><head><meta charset='utf-8'></head><body><p>Résumés et café crème, déjà vu — it’s fine.</p>"
    text = decode_html(html.encode("cp1252"))
    assert "Résumés et café crème, déjà vu — it’s fine." in text


def test_an_xml_declaration_names_the_charset():
    html = "<?xml version='1.0' encoding='ISO-8859-1'?>\n<html><body><p>Ça coûte très cher.</p></body></html>"
    assert "Ça coûte très cher." in decode_html(html.encode("latin-1"))


def test_a_chinese_page_labelled_utf8_is_still_read_as_gb18030():
    body = "<p>新能源汽车下乡活动继续扩围。工信部等四部门近日发布通知。</p>"
    for head in ("<html lang='zh-CN'><head><meta charset='utf-8'></head>", "<html><head><meta charset='utf-8'></head>"):
        assert "新能源汽车下乡活动继续扩围" in decode_html(f"{head}<body>{body * 3}</body></html>".encode("gbk"))


def test_an_xml_declared_page_parses_and_extracts():
    from newsfetch.pipeline import extract

    prose = "<p>" + "The night bus service will run to the northern suburbs from the spring, the council said. " * 3
    html = f"<?xml version='1.0' encoding='utf-8'?>\n<html><head><title>Night buses</title></head><body>{prose}</p>"
    assert "northern suburbs" in extract((html + "</body></html>").encode("utf-8"), "https://news.example.org/a/1").text
