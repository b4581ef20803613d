"""When the generic parser refuses a page, and when it asks another extractor: small pages shaped after the real
failures found on the labelled sets (../shared/corpus/labelled/, see benchmarks/labelled.py)."""

from __future__ import annotations

import lxml.html
import pytest

from newsfetch.errors import NotAnArticle, ParseError
from newsfetch.page import Page
from newsfetch.parsers.generic import GenericParser
from newsfetch.parsers.generic.fallback import reads_as_article
from newsfetch.parsers.generic.parser import _alternates, _completes, _few_lines_of_a_portal, _repeats_headlines
from newsfetch.parsers.generic.script import body_from_scripts, is_code

EN = [
    "The city council voted on Tuesday to extend the night bus service to the northern suburbs, ending a dispute "
    "that had lasted for more than two years.",
    "Supporters said the change would help shift workers at the hospital and the port, who often wait an hour "
    "for a taxi after midnight.",
    "Opponents argued that the service would cost more than the council had budgeted, and asked for a review "
    "of the fares before the first buses run in the spring.",
    "The transport authority said it expected about four thousand passengers a week once the new routes were "
    "running, a figure it would publish every quarter.",
]


def parse(html: str, url: str = "https://news.example.org/2021/12/30/night-buses.html"):
    return GenericParser().parse(Page(html=html, url=url))


def doc(body: str, head: str = "<title>Council extends night buses | Example News</title>") -> str:
    return f"<html lang='en'><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def teasers(count: int = 10) -> str:
    return "".join(f"<div class='teaser'><h3><a href='/story/{i}'>Story number {i} about the city and its buses"
                   f"</a></h3><p>Excerpt of story {i}: the council met again on Tuesday to talk about the buses.</p>"
                   "</div>" for i in range(count))


# --- refusals that are true -----------------------------------------------------------------------------------

def test_a_column_of_headline_teasers_is_a_list_page():
    with pytest.raises(NotAnArticle, match="list of headlines"):
        parse(doc(f"<main>{teasers()}</main>", head="<title>Local news | Example News</title>"))


def test_a_home_page_behind_a_browser_notice_is_still_a_list_page():
    # the real page (a portal's section page) had only a long "best viewed in an up-to-date browser" notice as
    # prose; it was taken as the body
    notice = ("<div class='notice'><p>This page is best viewed in an up-to-date web browser with style sheets "
              "(CSS) enabled. While you will be able to view the content of this page in your current browser, "
              "you will not be able to get the full visual experience.</p></div>")
    with pytest.raises(NotAnArticle, match="no article on the page"):
        parse(doc(f"{notice}<main>{teasers()}</main>", head="<title>Arts | Example News</title>"))


def test_a_cookie_banner_is_never_the_body():
    banner = ("<div id='consent'><p>We use cookies to give you the best experience on our website, to analyse our "
              "traffic and to show you personalised advertising. By continuing to use this site, you agree to our "
              "use of cookies, as described in our cookie policy, which you can change at any time.</p></div>")
    article = parse(doc(f"{banner}<article><h1>Council extends night buses</h1><p>{EN[0]}</p><p>{EN[1]}</p>"
                        f"</article>"))
    assert article.text.splitlines() == EN[:2]


def test_a_page_with_no_text_at_all_is_refused_with_the_reason():
    with pytest.raises(NotAnArticle, match="no block of prose"):
        parse(doc("<div id='app'></div>"))


# --- refusals that were wrong -------------------------------------------------------------------------------

def test_an_article_whose_container_also_holds_many_headline_links_is_read():
    # real pages (a Chinese encyclopedia entry, a film review) were refused as "a list of headlines": long prose,
    # then a box of related links in the same container
    related = "".join(f"<li><a href='/r/{i}'>Another story about buses and the council, number {i}</a></li>"
                      for i in range(14))
    body = "".join(f"<p>{text} {text}</p>" for text in EN)
    article = parse(doc(f"<div class='main'><h1>Council extends night buses</h1>{body}<ul>{related}</ul></div>"))
    assert EN[0] in article.text and EN[3] in article.text


def test_a_page_without_any_title_takes_its_first_line():
    article = parse(doc(f"<div><p>Night buses for the north</p><p>{EN[0]}</p><p>{EN[1]}</p></div>", head=""))
    assert article.title == "Night buses for the north"


def test_when_the_scorer_finds_no_article_a_fallback_body_must_still_read_as_prose():
    prose = lxml.html.fromstring("<div>" + "".join(f"<p>{t}</p>" for t in EN) + "</div>")
    headlines = lxml.html.fromstring("<div>" + "".join(f"<p>Story number {i} about the city</p>" for i in range(12))
                                     + "</div>")
    assert reads_as_article(prose)
    assert not reads_as_article(headlines)


def test_teasers_alternate_with_headline_links_an_article_with_a_related_box_does_not():
    page = lxml.html.fromstring(f"<div>{teasers()}</div>")
    related = "".join(f"<p><a href='/r/{i}'>Another story about buses, number {i}</a></p>" for i in range(8))
    article = lxml.html.fromstring("<div>" + "".join(f"<p>{t}</p>" for t in EN) + related + "</div>")
    assert _alternates(page)
    assert not _alternates(article)


def test_a_fallback_body_that_repeats_the_pages_headline_links_is_a_list():
    page = Page(html=doc(f"<main>{teasers()}</main>"))
    copied = lxml.html.fromstring("<div>" + "".join(f"<p>Story number {i} about the city and its buses</p>"
                                                    for i in range(10)) + "</div>")
    assert _repeats_headlines(page, copied)
    assert not _repeats_headlines(page, lxml.html.fromstring("<div>" + "".join(f"<p>{t}</p>" for t in EN) + "</div>"))


def test_a_fallback_replaces_our_body_only_when_it_holds_ours_and_much_more():
    ours = lxml.html.fromstring(f"<div><p>{EN[0]}</p></div>")
    more = lxml.html.fromstring("<div>" + "".join(f"<p>{t}</p>" for t in EN) + "</div>")
    other = lxml.html.fromstring("<div>" + "".join(f"<p>{t[::-1]}</p>" for t in EN) + "</div>")
    assert _completes(ours, more)
    assert not _completes(ours, other)      # longer, but not the same article
    assert not _completes(more, ours)


# --- script data --------------------------------------------------------------------------------------------

def test_a_script_string_that_is_code_is_never_the_body():
    code = ("(function(){var el=document.getElementById('player');\\nif(el){el.style.display='none';}\\n"
            "window.player=new Player({autoplay:true,muted:false});})();")
    page = Page(html=doc(f"<div id='app'></div><script>window.__STATE__={{\"content\":\"{code}\"}};</script>"))
    assert body_from_scripts(page) is None
    assert is_code("function init() { var a = 1; return a; }\nwindow.onload = init;")
    assert not is_code(" ".join(EN))


def test_what_the_page_shows_wins_over_a_body_in_its_scripts():
    # a listicle (Readability's yahoo-1): every section under a linked heading, so our scorer sees headline links;
    # its page-state JSON holds one section's paragraph, which was taken as the whole article
    sections = "".join(f"<h2><a href='/games/{i}'>Game number {i} of the year</a></h2><p>Game {i}: {' '.join(EN)}</p>"
                       for i in range(8))  # each section its own text, as on the page (not one paragraph 8 times)
    state = '{"article": {"body": "<p>' + EN[0] + " " + EN[1] + '</p>"}}'
    article = parse(doc(f"<h1>The eight games of the year</h1><div class='list'>{sections}</div>"
                        f"<script>window.__STATE__={state};</script>"))
    assert "body_from_script" not in article.extra
    assert article.text.count("The city council voted") == 8  # every section, not the script's one paragraph


def test_text_only_in_unreadable_scripts_is_a_parse_error_not_an_empty_post():
    encoded = " ".join(EN * 3)
    html = doc(f"<div id='app'></div><script>render(\"{encoded}\", \"{encoded}\");</script>")
    with pytest.raises(ParseError, match="only in the page's scripts") as caught:
        parse(html)
    assert type(caught.value) is ParseError and caught.value.exit_code == 7


def test_a_short_fallback_text_on_a_portal_page_is_not_its_article():
    # a portal's health page: our scorer refused it; readability-lxml then offered three teaser excerpts
    # (the whole-page case is tests/test_labelled_corpus.py on CleanPortalEval's section pages)
    links = "".join(f"<li><a href='/news/{i}'>Headline number {i} of the health desk today</a></li>" for i in range(45))
    portal = Page(html=doc(f"<ul class='index'>{links}</ul>"))
    article = Page(html=doc(f"<ul class='index'>{links[:800]}</ul>"))
    blurbs = lxml.html.fromstring("<div>" + "".join(f"<p>{text}</p>" for text in EN[:2]) + "</div>")
    long_text = lxml.html.fromstring("<div>" + "".join(f"<p>{text}</p>" for text in EN * 2) + "</div>")
    assert _few_lines_of_a_portal(portal, blurbs)
    assert not _few_lines_of_a_portal(portal, long_text)     # a real article on a link-heavy page
    assert not _few_lines_of_a_portal(article, blurbs)       # a short article on an ordinary page


def test_a_photo_post_with_a_headline_and_a_short_caption_is_a_short_article():
    # shaped after Dragnet's photo posts (R951, R952): the headline, a date line and a one-line credit, nothing else
    post = ("<h1>Summertime</h1><div class='photos'><img src='/a.jpg'><img src='/b.jpg'></div>"
            "<div class='caption'><p>Posted July 26th, 2011</p><p>Photos by Eirik in Oslo</p></div>")
    article = parse(doc(post, head="<title>Summertime | The Street Blog</title>"))
    assert "Photos by Eirik in Oslo" in article.text


def test_a_short_block_made_of_links_is_still_no_article():
    menu = "<div class='box'><p><a href='/a'>Home</a> <a href='/b'>About us</a> <a href='/c'>Contact</a></p></div>"
    with pytest.raises(NotAnArticle):
        parse(doc(menu, head="<title>Example Blog</title>"))


# --- round 3: refusals of real Dragnet articles that were wrong ---------------------------------------------

def blogroll(count: int = 60) -> str:
    return "".join(f"<li><a href='https://blog{i}.example.net/'>Hockey blog number {i} (COL)</a></li>"
                   for i in range(count))


def test_a_wrapper_named_after_the_sidebar_that_holds_the_headline_and_most_of_the_page_is_not_furniture():
    # shaped after Dragnet T53: `<div id="content-sidebar-wrap">` held the post and a long blogroll; its link
    # density made the whole wrapper furniture, and the page was refused as "no block of prose"
    page = (f"<div id='content-sidebar-wrap'><div class='content'><h1>Council extends night buses</h1>"
            f"<div class='entry-content'><p>{EN[0]} {EN[1]}</p><p>{EN[2]}</p></div></div>"
            f"<div class='sidebar'><h4>Blogroll</h4><ul>{blogroll()}</ul></div></div>")
    article = parse(doc(page))
    assert article.text.splitlines() == [f"{EN[0]} {EN[1]}", EN[2]]


def test_a_small_box_around_a_blogs_name_stays_furniture():
    # the Blogger layout: the only <h1> is the blog's name in `widget Header`, beside the blog's description;
    # the post is elsewhere, and the description must not become the body
    page = ("<div class='widget Header' id='Header1'><h1>Life as a Healthcare CIO</h1><p>" + EN[3] + "</p>"
            + "".join(f"<a href='/l/{i}'>Label {i}</a> " for i in range(40)) + "</div>"
            + f"<div class='post'><h3>Night buses</h3><div class='post-body'><p>{EN[0]}</p><p>{EN[1]}</p>"
            f"<p>{EN[2]}</p></div></div>")
    article = parse(doc(page))
    assert EN[3] not in article.text and EN[0] in article.text


def blogger_post(title: str, body: str) -> str:
    """A blog post in the Blogger layout: the blog's name, the post under its own heading, share buttons, a
    sidebar of links."""
    return (f"<div class='header'><h1><a href='/'>The Style Scout</a></h1></div>"
            f"<div class='widget Blog'><h2 class='date-header'>6 Nov 2012</h2><div class='post'>"
            f"<h3 class='post-title'>{title}</h3><div class='post-body'>{body}</div>"
            f"<div class='post-footer'><a class='share-button' href='/share'>Share to Twitter</a></div></div></div>"
            f"<div class='sidebar'><ul>{blogroll(30)}</ul></div>")


def test_a_blog_post_that_is_one_picture_under_its_heading_is_a_photo_post():
    # shaped after Dragnet R401/R402 (and an infographic post, R371): the post body is one photo; the scorer
    # found no prose and the page was refused as a home or list page
    photo = "<a href='https://photos.example.net/7989'><img src='/p/7989.jpg' width='600' height='869' alt='Pink coat'></a>"
    article = parse(doc(blogger_post("In the pink...", photo), head="<title>The Style Scout: In the pink...</title>"))
    assert "![Pink coat](https://news.example.org/p/7989.jpg)" in article.markdown
    assert "Share to Twitter" not in article.text and "Hockey blog" not in article.text


def test_a_photo_posts_only_text_is_its_byline_and_it_is_kept():
    # shaped after Dragnet 83: headline, byline, one picture; removing the byline left an empty body (ParseError)
    post = ("<div id='post'><h2>Almost there</h2><div class='date'><span>By Lim Cheng Soon, 28 May 2010</span>"
            "</div><p><img src='/imgs/almost-there.jpg'></p></div>")
    article = parse(doc(post, head="<title>Almost there</title>"))
    assert article.text.strip() == "By Lim Cheng Soon, 28 May 2010"
    assert "![](https://news.example.org/imgs/almost-there.jpg)" in article.markdown


def test_a_page_of_a_headline_and_a_date_line_and_nothing_else_is_still_an_empty_body():
    # Dragnet 267: a gallery whose pictures a script loads; the date line alone is not a post
    page = ("<div class='gallery'><span class='date'>24 July 2012 Last updated at 07:12 ET</span>"
            "<h1>Day in pictures: 24 July 2012</h1><div id='pictureGallery'></div></div>")
    with pytest.raises(ParseError, match="empty"):
        parse(doc(page, head="<title>Day in pictures: 24 July 2012</title>"))


def test_a_page_of_pictures_that_link_to_stories_is_a_section_page_not_a_photo_post():
    grid = "".join(f"<div class='item'><a href='/gallery/{i}'><img src='/t/{i}.jpg' width='300' height='200'></a>"
                   f"<a href='/gallery/{i}'>Pictures of the week number {i} from the city</a></div>" for i in range(12))
    with pytest.raises(NotAnArticle):
        parse(doc(f"<h2>Photos</h2>{grid}", head="<title>Photos | Example News</title>"))


def test_icons_and_tracking_pixels_are_not_pictures():
    from newsfetch.parsers.generic.parser import _is_picture
    assert _is_picture(lxml.html.fromstring("<img src='/p/1.jpg' width='600' height='400'>"))
    assert _is_picture(lxml.html.fromstring("<img src='/p/1.jpg'>"))
    assert not _is_picture(lxml.html.fromstring("<img src='/icon18_email.gif' width='18' height='13'>"))
    assert not _is_picture(lxml.html.fromstring("<img src='/o.gif' width='1px' height='1px'>"))


def test_a_short_article_followed_by_a_box_of_headline_links_is_read():
    # shaped after Dragnet T7: seven short paragraphs (well under the 500 units that used to be needed beside
    # many links), then "You might like:" with ten headline links in the same container
    related = "".join(f"<p><a href='/r/{i}'>Celebrity story number {i} you may like</a></p>" for i in range(8))
    post = (f"<div class='post'><h1>Council extends night buses</h1>" + "".join(f"<p>{t}</p>" for t in EN[:3])
            + f"<h3>You might like:</h3>{related}</div>")
    article = parse(doc(post))
    assert article.text.splitlines() == EN[:3]     # and the box, with its heading, is not the article's text


def test_one_text_is_prose_in_a_row_teasers_are_prose_between_headline_links():
    from newsfetch.parsers.generic.parser import _one_text
    related = "".join(f"<p><a href='/r/{i}'>Another story about buses, number {i}</a></p>" for i in range(8))
    article = lxml.html.fromstring("<div>" + "".join(f"<p>{t}</p>" for t in EN) + related + "</div>")
    assert _one_text(article)
    assert not _one_text(lxml.html.fromstring(f"<div>{teasers()}</div>"))
    # one paragraph before the links is a lead teaser, not an article
    assert not _one_text(lxml.html.fromstring(f"<div><p>{EN[0]}</p>{related}</div>"))


def test_a_fallback_body_is_the_article_when_it_is_one_run_of_our_blocks_paragraphs():
    # shaped after Dragnet T83: our block held the article's paragraphs and then a long teaser list; the
    # fallback's body (the article) lay "within the teasers" and was refused as a list
    from newsfetch.parsers.generic.parser import _in_one_run
    page = lxml.html.fromstring("<div><h1><a href='/audi-city'>Council extends night buses</a></h1>"
                                + "".join(f"<p>{t}</p>" for t in EN[:3]) + teasers() + "</div>")
    article = lxml.html.fromstring("<div>" + "".join(f"<p>{t}</p>" for t in EN[:3]) + "</div>")
    excerpts = lxml.html.fromstring("<div>" + "".join(
        f"<p>Excerpt of story {i}: the council met again on Tuesday to talk about the buses.</p>"
        for i in range(6)) + "</div>")
    assert _alternates(page)
    assert _in_one_run(article, page)
    assert not _in_one_run(excerpts, page)


def test_a_blogs_front_page_is_not_a_photo_post_of_its_name():
    # the blog's name is the whole <title> and its heading, with the banner picture beside it; the heading links
    # to the front page, which a post's heading never does
    posts = "".join(f"<div class='post'><h3><a href='/2012/11/post-{i}.html'>Street style number {i} in London"
                    f"</a></h3><a href='/2012/11/post-{i}.html'><img src='/p/{i}.jpg' width='600' height='800'></a>"
                    f"</div>" for i in range(8))
    page = (f"<div class='header'><h1><a href='https://stylescout.example.net/'>The Style Scout</a></h1>"
            f"<p class='description'><img src='/banner.jpg' width='900' height='200'>Street fashion in London</p>"
            f"</div><div class='blog-posts'>{posts}</div>")
    with pytest.raises(NotAnArticle):
        parse(doc(page, head="<title>The Style Scout</title>"), url="https://stylescout.example.net/")


def test_markup_after_a_stray_end_tag_is_read_even_after_characters_that_lengthen_when_lowercased():
    # "İ" lowercases to two characters: a position found in the lowered page lands past the real "</html>"
    html = (f"<html lang='en'><head><title>Council extends night buses</title><!-- {'İ' * 2000} --></head>"
            f"<body><h1>Council extends night buses</h1></body></html>"
            f"<div class='story'>{''.join(f'<p>{text}</p>' for text in EN)}</div></body></html>")
    article = parse(html)
    assert "The transport authority said" in article.text


# --- round 4: bare pages, a title read from the body's only text, words of a sentence -------------------------

def test_a_page_that_is_nothing_but_a_few_lines_of_text_is_that_text():
    # Readability's js-link-replacement: a title and three words inside a `javascript:` link, nothing else; no
    # link to another page, no player: the page is one small document, not a list or home page
    article = parse(doc("<a href='javascript:'><p>abc</p><p>def</p>ghi</a>", head="<title>Replace links</title>"))
    assert article.title == "Replace links"
    assert article.text.split() == ["abc", "def", "ghi"]


def test_a_page_of_two_headings_and_lazy_pictures_with_no_links_is_read():
    # Readability's lazy-image-3: headings and lazy-loaded pictures (data-src) under a <title> they do not repeat
    pictures = "".join(f"<h2>Test Case {i}</h2><img class='lazyload' data-src='https://img.example.org/{i}.jpg' "
                       f"alt='performance.jpg'>" for i in (1, 2))
    article = parse(doc(f"<article>{pictures}</article>", head="<title>Lazy loading</title>"))
    assert article.text.splitlines() == ["Test Case 1", "Test Case 2"]
    assert "https://img.example.org/2.jpg" in article.markdown


def test_a_short_text_with_a_link_to_another_page_is_still_refused():
    # the bare-page rule reads pages that link nowhere: a short line beside one link is a stub, not a document
    with pytest.raises(NotAnArticle, match="no block of prose"):
        parse(doc("<p>1 Secs</p><p><a href='/home'>Home page</a></p>", head="<title>Loading</title>"))


def test_a_page_whose_only_paragraph_gave_the_title_keeps_it_as_the_body():
    # Readability's ol and 005 snippets: no <title>, no <h1>, one paragraph; it was taken as the title and then
    # removed from the body as the repeated headline, leaving an empty body
    line = "AI has not changed much in security so far. Deep fake phishing is still rare."
    article = parse(doc(f"<ol><li><p>{line}</p></li></ol>", head=""))
    assert article.title == line
    assert article.text.strip() == line
    assert parse(doc("Test", head="")).text.strip() == "Test"


def test_a_title_read_from_the_body_is_still_removed_when_more_text_follows():
    article = parse(doc(f"<div><p>Night buses for the north</p><p>{EN[0]}</p><p>{EN[1]}</p></div>", head=""))
    assert article.title == "Night buses for the north"
    assert article.text.splitlines() == EN[:2]


def test_a_link_inside_a_sentence_is_kept_whatever_its_class_says():
    # Readability's clean-links: glossary notes as `<a class="popup" href="javascript:…">` on words of the text
    # ("I am a <a class=popup>rather elderly</a> man") were cut as furniture, leaving "I am a man"
    body = "".join(f"<p>{text}</p>" for text in EN[1:])
    article = parse(doc(f"<article><p>The council, <a class='popup' href='javascript:void(0)'>after a long "
                        f"debate</a> on Tuesday, voted to extend the night bus service to the north.</p>{body}"
                        f"<p>Share: <a class='share' href='/share'>Facebook</a></p></article>"))
    assert "The council, after a long debate on Tuesday, voted" in article.text
    assert "Facebook" not in article.text


def test_an_article_split_by_an_ad_into_twin_boxes_is_read_from_both():
    # Readability's nytimes-2: `story-body-supplemental > story-body story-body-1`, an ad, then the same box
    # with `story-body story-body-2`; the second box alone was the body and the lead paragraphs were lost
    first = "".join(f"<p class='story-body-text'>{text}</p>" for text in EN[:2])
    rest = "".join(f"<p class='story-body-text'>{text} {text}</p>" for text in EN[2:] * 2)
    page = (f"<article><header><h1>Council extends night buses</h1></header>"
            f"<div class='supplemental'><div class='story-body story-body-1'>{first}</div>"
            f"<div class='marginalia'><a href='/r/1'>Another story about the city council and its budget</a></div>"
            f"</div><div class='interrupter'>Advertisement</div>"
            f"<div class='supplemental'><div class='story-body story-body-2'>{rest}</div>"
            f"<div class='marginalia'><a href='/r/2'>A second story about the city council and its buses</a></div>"
            f"</div></article>")
    lines = parse(doc(page)).text.splitlines()
    assert lines[:2] == EN[:2]
    assert lines[-1] == f"{EN[3]} {EN[3]}"
    assert not any("story about the city council" in line for line in lines)


def test_a_block_with_an_h1_and_sections_of_prose_is_part_of_the_article_not_its_header():
    # Readability's lazy-image-1 (a Medium post): the first box holds the headline and the first sections under
    # <h1> section headings; it was skipped as the header block
    sections = "".join(f"<h1>Section {i}</h1><p>{EN[i]} {EN[i]}</p>" for i in range(2))
    later = "".join(f"<p>{text} {text} {text}</p>" for text in EN[2:] * 3)
    page = (f"<section><div class='opening'><h1>Council extends night buses</h1>{sections}</div>"
            f"<div class='part'>{later}</div></section>")
    text = parse(doc(page)).text
    assert f"{EN[0]} {EN[0]}" in text and f"{EN[3]} {EN[3]} {EN[3]}" in text


def test_a_header_block_of_headline_and_byline_stays_out_of_the_body():
    body = "".join(f"<p>{text}</p>" for text in EN)
    page = (f"<div class='wrap'><div class='head'><h1>Council extends night buses</h1><p>By Jane Doe, city "
            f"reporter</p><p>Tuesday 30 December 2021</p></div><div class='text'>{body}</div></div>")
    assert parse(doc(page)).text.splitlines() == EN


def test_a_gallery_of_numbered_slides_inside_an_article_is_not_its_body():
    # Readability's bug-1255978: "Business news in pictures", 50 slides numbered 1/50…50/50 with a caption each,
    # embedded in a shorter article about hotels; the gallery outscored the article and became the body
    slides = "".join(f"<li><h2><span class='counter'>{i}/12</span> Market news number {i}</h2><p>The shares of "
                     f"company {i} rose on Tuesday after it said profits would beat forecasts, and its chief "
                     f"executive said the year had started well for the whole group.</p></li>" for i in range(1, 13))
    first, rest = ("".join(f"<p>{line}</p>" for line in part) for part in (EN[:2], EN[2:]))
    page = (f"<article><h1>Council extends night buses</h1><div class='text'>{first}"
            f"<div class='gallery'><ul class='legends'>{slides}</ul></div>{rest}</div></article>")
    lines = parse(doc(page)).text.splitlines()
    assert lines == EN


def test_a_slideshow_named_so_after_the_article_is_not_its_body():
    # HuffPost (Dragnet T121, T2): "Also on HuffPost:" and a `ul.hp-slideshow` of unnumbered photo captions,
    # four times the article's length, inside the article's own box
    captions = "".join(f"<li><p>Runners compete in heat {i} of the men's 200 metres at the Olympic Stadium in "
                       f"London on Wednesday, as the crowd cheers the favourite home. (AP Photo/Staff)</p></li>"
                       for i in range(24))
    html = doc(f"<h1>Council extends night buses</h1><div class='articleBody'>{''.join(f'<p>{p}</p>' for p in EN)}"
               f"<p>Also on Example News:</p><div class='promo_holder'><ul class='hp-slideshow'>{captions}</ul></div>"
               "</div>")
    text = parse(html).text
    assert all(p[:40] in text for p in EN) and "Olympic Stadium" not in text


def test_a_gallery_page_whose_only_text_is_its_numbered_captions_keeps_them():
    slides = "".join(f"<li><span class='counter'>{i}/8</span> <p>Crowds gathered in the square on day {i} of "
                     f"the festival, as bands played into the night and the council kept the buses running.</p></li>"
                     for i in range(1, 9))
    text = parse(doc(f"<div class='gallery'><h1>Festival in pictures</h1><ul>{slides}</ul></div>",
                     head="<title>Festival in pictures</title>")).text
    assert "day 1 of the festival" in text and "day 8 of the festival" in text


def test_a_servers_error_page_links_nowhere_and_is_still_refused():
    # nginx's own pages, and Dragnet R427 (<title>ERROR</title>): no link anywhere, yet no document
    nginx = ("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>"
             "<hr><center>nginx</center></body></html>")
    with pytest.raises(NotAnArticle):
        parse(nginx)
    with pytest.raises(NotAnArticle):
        parse(doc("<p>The requested URL was not found on this server.</p>", head="<title>404 Not Found</title>"))


def comments(count: int = 30) -> str:
    return "".join(f"<li class='comment'><div class='comment-author'>Reader {i} said…</div><div class='comment-body'>"
                   f"<p>I take the night bus every week, number {i}, and I think the council got this one right, "
                   f"although the fares are still far too high for a student like me.</p></div></li>"
                   for i in range(count))


def test_readers_comments_longer_than_the_post_are_never_its_body():
    # Dragnet's blogs (R910, 239, 319…): a short post, then a `comments` section several times as long
    html = doc(f"<h1>Night buses</h1><div class='post'><p>{EN[0]}</p></div>"
               f"<div id='comments'><h3>30 comments</h3><ol class='commentlist'>{comments()}</ol></div>")
    article = parse(html)
    assert article.text.startswith(EN[0][:40]) and "Reader" not in article.text and "student" not in article.text


def test_comments_inside_the_posts_own_box_are_cut_out_of_the_body():
    # WordPress themes that put `ol.commentlist` inside `div.post` (Dragnet R24, R14): the post stays, whole
    html = doc(f"<h1>Night buses</h1><div class='post'>{''.join(f'<p>{p}</p>' for p in EN)}"
               f"<ol class='commentlist'>{comments(12)}</ol></div>")
    article = parse(html)
    assert all(p[:40] in article.text for p in EN) and "student" not in article.text


def test_an_opinion_article_named_comment_is_read():
    # `comment` alone names opinion pieces (`content--type-comment`): only the words of a comments section count
    html = doc(f"<h1>Night buses</h1><article class='content content--type-comment'>"
               f"{''.join(f'<p>{p}</p>' for p in EN)}</article>")
    assert parse(html).text.startswith(EN[0][:40])


def test_a_video_page_with_a_short_description_beside_the_player_is_read():
    # Dragnet R434: a tutorial's player and a few lines saying what it teaches
    description = ("Use a Z-pass render to combine 2D stock footage with 3D models, and use most 3D programs "
                   "to make the pass, even the free ones. Twenty minutes, with the project files.")
    html = doc(f"<h1>Depth compositing</h1><div class='player'><video src='/v.mp4'></video></div>"
               f"<div class='details'><p>{description}</p></div>", head="<title>Depth compositing</title>")
    assert parse(html).text.strip() == description


def test_the_box_about_the_author_after_a_post_is_not_its_text():
    # WordPress themes' `div.author_info` / `section.author-bio` (Dragnet R464, R627, 35 pages of the set)
    bio = ("<div class='author-bio'><h4>About Jane Doe</h4><p>Jane has written about the city's transport for "
           "twenty years, and is the author of a book on the history of its trams and buses.</p></div>")
    html = doc(f"<h1>Night buses</h1><div class='entry-content'>{''.join(f'<p>{p}</p>' for p in EN)}{bio}</div>")
    text = parse(html).text
    assert all(p[:40] in text for p in EN) and "trams" not in text


def test_class_words_inside_a_code_block_are_syntax_highlighting_not_furniture():
    # v8.dev's code samples: `<span class="token keyword">include</span>`; `keyword` names tag boxes elsewhere
    code = ('<pre><span class="token directive-hash">#</span><span class="token keyword directive">include</span> '
            '<span class="token string">&lt;stdio.h&gt;</span><br><span class="token keyword">int</span> x;</pre>')
    html = doc(f"<h1>Night buses</h1><article><p>{EN[0]}</p>{code}<p>{EN[1]}</p><p>{EN[2]}</p></article>")
    assert "#include <stdio.h>\nint x;" in parse(html).markdown


def test_a_long_text_amid_link_lists_is_read_without_asking_a_second_opinion(monkeypatch):
    # zh-web's Chinese Wikipedia entry: 15,000 characters of prose between lists of linked works; both libraries
    # were asked (0.3 s) and neither body was kept
    import newsfetch.parsers.generic.parser as generic_parser

    asked = []
    monkeypatch.setattr(generic_parser, "fallback_body", lambda *args: asked.append(args) or None)
    works = "".join(f"<li><a href='/wiki/work-{i}'>The night bus work number {i}</a></li>" for i in range(40))
    sections = "".join(f"<h2>Part {k}</h2>{''.join(f'<p>{p}</p>' for p in EN * 6)}<ul>{works}</ul>"
                       for k in range(6))
    article = parse(doc(f"<h1>Night buses</h1><div class='mw-parser-output'>{sections}</div>"))
    assert asked == [] and article.text.count(EN[0][:40]) == 36
