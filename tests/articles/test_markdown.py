"""Story bodies as readers are shown them: every character an editor typed,
either as the few elements a story needs or as text, never as live markup,
and never an error however the Markdown is nested."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from articles import text


def parsed(markdown):
    return BeautifulSoup(text.render_markdown(markdown), "html.parser")


def shown(markdown):
    """The text a reader sees, whitespace collapsed."""
    return " ".join(parsed(markdown).get_text(" ").split())


def nested_list(depth, word="deep"):
    return "".join("  " * level + f"- {word}{level}\n" for level in range(depth))


def nested_quotes(depth, word="deep"):
    return "".join(">" * (level + 1) + f" {word}{level}\n\n" for level in range(depth))


def test_angle_brackets_are_shown_as_typed():
    assert shown("a<b and c>d") == "a<b and c>d"
    assert shown("If x < 3 and y > 2, <nothing> is lost.") == (
        "If x < 3 and y > 2, <nothing> is lost."
    )


@pytest.mark.parametrize(
    "typed",
    [
        "<b>bold</b> text",
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">click</a>',
        '<iframe src="https://evil.example"></iframe>',
        '<p style="position:fixed" onclick="alert(1)">hi</p>',
        "<style>body{display:none}</style>",
        '<svg onload="alert(1)"></svg>',
        "<!-- a comment -->",
        "<div>\nA block of HTML\n</div>",
    ],
)
def test_html_an_editor_types_is_shown_as_text_never_live(typed):
    document = parsed(f"Before.\n\n{typed}\n\nAfter.")
    assert {tag.name for tag in document.find_all(True)} <= {"p", "br"}
    assert all(not tag.attrs for tag in document.find_all(True))
    assert " ".join(document.get_text(" ").split()) == " ".join(
        f"Before. {typed} After.".split()
    )


def test_a_javascript_link_is_text_not_a_link():
    document = parsed("[click](javascript:alert(1))")
    assert document.find("a") is None
    assert document.get_text() == "[click](javascript:alert(1))"


def test_links_keep_only_safe_attributes():
    document = parsed(
        '[the report](https://example.com/r "Read it") and <https://x.org>'
    )
    links = [(a["href"], a.get("title"), a["rel"]) for a in document.find_all("a")]
    assert links == [
        ("https://example.com/r", "Read it", ["noopener", "noreferrer"]),
        ("https://x.org", None, ["noopener", "noreferrer"]),
    ]


def test_elements_editors_have_are_kept():
    document = parsed(
        "# Top\n\n## Sub\n\n### Subsub\n\nA *stressed* and **strong** word,  \n"
        "a break.\n\n> A quote.\n\n- one\n- two\n\n1. first\n2. second\n"
    )
    assert [tag.name for tag in document.find_all(True)] == [
        "h2",
        "h2",
        "h3",
        "p",
        "em",
        "strong",
        "br",
        "blockquote",
        "p",
        "ul",
        "li",
        "li",
        "ol",
        "li",
        "li",
    ]


@pytest.mark.parametrize(
    "hostile",
    [
        nested_list(1000),
        nested_quotes(1000),
        "> " * 1000 + "deep",
        "[" * 1000 + "deep" + "]" * 1000,
        "![" * 1000 + "deep",
        "*a **a " * 1000 + "deep" + " a** a*" * 1000,
    ],
    ids=["list", "quote-lines", "quotes", "brackets", "images", "emphasis"],
)
def test_deep_nesting_renders_without_an_error(hostile):
    rendered = text.render_markdown(hostile)
    assert isinstance(rendered, str) and rendered


def test_nesting_up_to_the_limit_shows_every_word():
    depth = text.MAX_NESTING
    # Lists in quotes in lists: the costliest nesting there is.
    lines, indent = [], ""
    for level in range(depth):
        if level % 2:
            lines.append(f"{indent}> word{level}")
            indent += "> "
        else:
            lines.append(f"{indent}- word{level}")
            indent += "  "
    body = "\n".join(lines) + "\n\nAfter."
    text.validate_body(body)
    words = shown(body).split()
    assert [w for w in words if w.startswith("word")] == [
        f"word{level}" for level in range(depth)
    ]
    assert words[-1] == "After."


@pytest.mark.parametrize(
    "body",
    [
        nested_list(text.MAX_NESTING + 1),
        nested_quotes(text.MAX_NESTING + 1),
        "> " * (text.MAX_NESTING + 1) + "deep",
        nested_list(100),
    ],
    ids=["list", "quote-lines", "quotes", "list-100"],
)
def test_nesting_past_the_limit_is_refused_with_a_reason(body):
    with pytest.raises(ValidationError) as refused:
        text.validate_body(body)
    assert refused.value.messages == [
        f"Lists and quotations are nested more than {text.MAX_NESTING} levels "
        "deep here. Readers could not be shown it whole: bring them to "
        f"{text.MAX_NESTING} levels or fewer."
    ]


def test_nesting_at_the_limit_is_accepted():
    for body in (nested_list(text.MAX_NESTING), nested_quotes(text.MAX_NESTING)):
        text.validate_body(body)
        assert f"deep{text.MAX_NESTING - 1}" in shown(body)


def test_a_body_past_the_size_limit_is_refused_with_its_size():
    text.validate_body("x" * text.MAX_BODY_CHARACTERS)
    with pytest.raises(ValidationError) as refused:
        text.validate_body("[" * (text.MAX_BODY_CHARACTERS + 1))
    assert refused.value.messages == [
        f"The body is {text.MAX_BODY_CHARACTERS + 1:,} characters long, and a "
        f"story's body may have at most {text.MAX_BODY_CHARACTERS:,}. Cut it, "
        "or split it into two stories."
    ]
