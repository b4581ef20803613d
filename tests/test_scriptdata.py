"""script_object: JSON objects assigned in inline scripts, cut out by brace matching."""

from __future__ import annotations

from newsfetch.page import Page
from newsfetch.scriptdata import object_after_key, script_object


def _page(script: str) -> Page:
    return Page(html=f"<html><head><script>{script}</script></head><body><p>x</p></body></html>", url="http://a/")


def test_nested_objects_and_braces_inside_strings() -> None:
    page = _page('var allData = {"docData": {"title": "a } b { c", "n": {"x": 1}}, "s": "q\\"}"}; var adData = {};')
    data = script_object(page, "allData")
    assert data == {"docData": {"title": "a } b { c", "n": {"x": 1}}, "s": 'q"}'}


def test_window_assignment_and_missing_or_broken_objects() -> None:
    assert script_object(_page('window.DATA = {"pubtime": "2020-11-30 21:48:28"}'), "DATA") == {
        "pubtime": "2020-11-30 21:48:28"}
    assert script_object(_page("window.DATA = {pubtime: 1}"), "DATA") is None   # a JS literal, not JSON
    assert script_object(_page('var other = {"a": 1}'), "DATA") is None
    assert script_object(_page('window.DATA = {"a": 1'), "DATA") is None       # never closed


def test_object_after_key() -> None:
    assert object_after_key('{"video": {"title": "v"}, "docData": {"title": "t"}}', "docData") == {"title": "t"}
    assert object_after_key('{"docData": "none"}', "docData") is None


def test_next_data_and_dig() -> None:
    from newsfetch.scriptdata import dig, next_data

    page = Page(html='<html><body><script id="__NEXT_DATA__" type="application/json">{"props": {"pageProps": '
                     '{"id": 7}}}</script></body></html>')
    assert dig(next_data(page), "props", "pageProps", "id") == 7
    assert dig(next_data(page), "props", "missing", "id") is None
    assert next_data(_page("var x = 1;")) == {}


def test_script_values_read_whole_json_scripts_and_assignments_once() -> None:
    from newsfetch.scriptdata import json_strings, script_values

    page = Page(html='<html><head><script type="application/ld+json">{"articleBody": "' + "a" * 50 + '"}</script>'
                     '<script>window.__STATE__ = {"detail": {"content": "' + "b" * 50 + '"}}; init();</script>'
                     '<script type="text/template">{"content": "' + "c" * 50 + '"}</script></head></html>')
    values = script_values(page)
    assert values == [{"articleBody": "a" * 50}, {"detail": {"content": "b" * 50}}]   # templates are not data
    assert script_values(page) is values
    assert [(key, value[0]) for key, value, _ in json_strings(page)] == [("articleBody", "a"), ("content", "b")]
