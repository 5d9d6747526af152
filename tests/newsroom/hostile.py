"""The hostile-content corpus and the checks a page, feed or fragment must
pass with it (tests/newsroom/test_hostile_content.py).

Sizes: the pathological Markdown runs to thousands of characters (the
renderer is linear, see docs/benchmarks.md), and the megabyte payload is
dense with markup; as a body it is refused past the body's size limit, and
the corpus then stores the first 100,000 characters of it.
"""

import json
import re
import xml.dom.minidom
import xml.etree.ElementTree as ET

import feedparser
from bs4 import BeautifulSoup
from django.conf import settings

PATHOLOGICAL = 5000  # repetitions; see the module's docstring
MEGABYTE = 1_000_000

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "script-breakout": "</script><script>alert(1)</script><!--",
    "json-ld-breakout": '"}</script><script>alert(1)</script>{"a":"',
    "img-onerror": "<img src=x onerror=alert(1)>",
    "attribute-breakout": (
        "\" onmouseover=\"alert(1)\" x=' onfocus='alert(1)' autofocus '"
    ),
    "event-handler": (
        '<a href="#" onclick="alert(1)">click</a><b onmouseover=alert(1)>b</b>'
    ),
    "markdown-javascript": "[click](javascript:alert(1)) [c](JaVaScRiPt:alert(1))",
    "encoded-javascript": (
        "[a](&#106;avascript:alert(1)) [b](jav&#x09;ascript:alert(1)) "
        "[c](java\tscript:alert(1)) [d](%6Aavascript:alert(1)) "
        '<a href="javascript&colon;alert(1)">e</a> '
        '<a href=" &#14;javascript:alert(1)">f</a> [g](vbscript:msgbox(1))'
    ),
    "data-url": (
        "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) "
        '<a href="data:text/html,<script>alert(1)</script>">b</a> '
        "![c](data:image/svg+xml,<svg onload=alert(1)>)"
    ),
    "svg": (
        "<svg onload=alert(1)><script>alert(1)</script>"
        '<a xlink:href="javascript:alert(1)">x</a></svg>'
    ),
    "mathml": (
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"
        "</style></mglyph></table></mtext></math>"
    ),
    "frames-and-forms": (
        '<iframe src="https://evil.example/"></iframe><object data="x"></object>'
        '<embed src="x"><form action="https://evil.example/"><input name=a>'
        '<button formaction="javascript:alert(1)">x</button></form>'
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">'
        '<base href="https://evil.example/"><link rel=stylesheet href="https://evil.example/">'
        "<style>body{background:url(javascript:alert(1))}</style>"
    ),
    "comment-and-cdata": (
        "--><script>alert(1)</script><![CDATA[<script>alert(1)</script>]]>"
    ),
    "template-syntax": "{{ settings.SECRET_KEY }} {% debug %} ${alert(1)} #{alert(1)}",
    "entities": (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt; &#60;script&#62; &copy &notit"
    ),
    "control-characters": "ctl"
    + "".join(map(chr, range(0x20)))
    + "\x7f"
    + "".join(map(chr, range(0x80, 0xA0)))
    + "end",
    "non-characters": "non\ufffe\uffff\ufdd0\ufdef\U0001fffe\U0010ffffchar",
    "surrogates": "pair \ud83d\ude00 lone \ud800 \udfff end",
    "bidi-overrides": (
        "\u202eevil\u202c \u202bx\u202c \u2066a\u2069 \u2067b\u2069 "
        "\u2068c\u2069 \u200f\u200e\u061c"
    ),
    "line-separators": "one\u2028two\u2029three\x85four",
    "pathological-brackets": "[" * PATHOLOGICAL + "x" + "]" * PATHOLOGICAL,
    "pathological-emphasis": "*_" * PATHOLOGICAL + "x" + "_*" * PATHOLOGICAL,
    "pathological-nesting": ">" * PATHOLOGICAL + " - 1. " * 50 + "`" * PATHOLOGICAL,
    "pathological-links": "[a](" * PATHOLOGICAL + "<" * PATHOLOGICAL,
    # Markup, links and characters XML cannot carry, over and over.
    "megabyte": (
        (
            "<script>alert(1)</script> & \x0b\ufffe [a](javascript:alert(1)) "
            "<img src=x onerror=alert(1)> *_[ words "
        )
        * (MEGABYTE // 90 + 1)
    )[:MEGABYTE],
}

STORY_TEXT = ["headline", "standfirst", "body", "byline"]
IMAGE_TEXT = ["image_alt", "image_caption", "image_credit"]
SOURCE_TEXT = ["name", "description"]

# Where a URL can hide in HTML, and the schemes that run or smuggle code.
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "background",
    "data",
    "srcset",
    "cite",
    "ping",
    "srcdoc",
}
BAD_SCHEMES = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
NEVER_ON_A_PAGE = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "svg",
    "math",
    "style",
    "template",
}
NEVER_ON_A_READER_PAGE = {"form", "input", "textarea", "select"}


def fit(payload, field):
    """The payload cut to the field's length: a longer one is refused (see
    test_values_longer_than_a_field_are_refused)."""
    limit = field.max_length
    return payload[:limit] if limit else payload


def is_site_search(element):
    """The site's own search box (the masthead's, the 404 page's): a form
    that sends a search to the site's search page, and its field."""
    form = element if element.name == "form" else element.find_parent("form")
    return (
        form is not None
        and form.get("role") == "search"
        and form.get("action") == "/search/"
        and form.get("method") == "get"
        and element.name in {"form", "input"}
        and (element.name == "form" or element.get("name") == "q")
    )


def live_markup(soup, *, reader):
    """What in a parsed page or fragment would run code or leave the site,
    other than the site's own scripts: a list of findings, empty if none."""
    found = []
    static = "/" + settings.STATIC_URL.lstrip("/")
    for script in soup.find_all("script"):
        code = script.string or ""
        if script.get("src", "").startswith(static) and not code.strip():
            continue
        if script.get("type") in {"application/ld+json", "application/json"}:
            try:
                json.loads(code)
                continue
            except ValueError:
                pass
        found.append(f"script {script.attrs} {code[:40]!r}")
    for element in soup.find_all(True):
        if element.name in NEVER_ON_A_PAGE or (
            reader
            and element.name in NEVER_ON_A_READER_PAGE
            and not is_site_search(element)
        ):
            found.append(element.name)
        if element.name == "meta" and element.get("http-equiv"):
            found.append(f"meta http-equiv {element['http-equiv']}")
        for name, value in element.attrs.items():
            if name.lower().startswith("on"):
                found.append(f"{element.name}[{name}]")
            if name.lower() in URL_ATTRIBUTES:
                value = " ".join(value) if isinstance(value, list) else value
                # As a browser's URL parser reads it (WHATWG URL): C0
                # controls and spaces trimmed, tabs and newlines dropped.
                bare = re.sub(
                    r"[\t\n\r]", "", value.strip("".join(map(chr, range(0x21))))
                )
                if BAD_SCHEMES.match(bare):
                    found.append(f"{element.name}[{name}]={value[:40]!r}")
        if element.name == "link" and not element.get("href", "").startswith(
            ("/", settings.SITE_URL)
        ):
            found.append(f"link {element.get('href')!r}")
    return found


def check_html(response, *, admin=False):
    """A reader page with no live markup; or, with `admin`, any page
    (the admin's are compared with a plain story's: check_admin)."""
    assert response.status_code < 500
    assert response.status_code == 200, response.status_code
    raw = response.content.decode()
    soup = BeautifulSoup(raw, "html.parser")
    if not admin:
        assert live_markup(soup, reader=True) == []
    # A parser that disagreed with the browser about where a script ends
    # would hide one: count the raw tags as well.
    scripts = len(soup.find_all("script"))
    assert raw.lower().count("<script") == raw.lower().count("</script") == scripts
    return soup


def check_xml(response):
    assert response.status_code == 200, response.status_code
    xml.dom.minidom.parseString(response.content)
    return ET.fromstring(response.content)


def check_fragment(value):
    assert live_markup(BeautifulSoup(value or "", "html.parser"), reader=True) == []


def check_feed(response):
    root = check_xml(response)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    atom = "{http://www.w3.org/2005/Atom}"
    for item in root.iter("item"):
        # Readers take every one of these as HTML.
        for name in [
            "title",
            "description",
            "category",
            "{http://purl.org/dc/elements/1.1/}creator",
            "{http://purl.org/rss/1.0/modules/content/}encoded",
        ]:
            for element in item.iter(name):
                check_fragment(element.text)
                assert "<" not in (element.text or "") or name.endswith(
                    ("encoded", "description")
                )
    for entry in root.iter(f"{atom}entry"):
        for element in [*entry.iter(f"{atom}summary"), *entry.iter(f"{atom}content")]:
            assert element.get("type") == "html"
            check_fragment(element.text)
        assert entry.find(f"{atom}title").get("type", "text") == "text"
    for entry in feed.entries:
        for content in entry.get("content", []):
            check_fragment(content.value)


def check_json_feed(response):
    assert response.status_code == 200
    for item in json.loads(response.content)["items"]:
        check_fragment(item.get("content_html"))
