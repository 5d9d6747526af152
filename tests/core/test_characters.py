"""clean_text: what it keeps, what it changes, and that whatever it returns
XML can carry."""

import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core.characters import NON_CHARACTERS, clean_text

# Derandomized: the same examples on every run and every machine; no
# example database left behind; no deadline (no test here is timed).
properties = settings(max_examples=400, derandomize=True, database=None, deadline=None)


def xml_can_carry(text):
    """Whether an XML 1.0 parser reads `text` back, as content and as an
    attribute value."""
    document = f'<a title="{escape(text, {chr(34): "&quot;"})}">{escape(text)}</a>'
    try:
        ET.fromstring(document.encode("utf-8"))
    except ET.ParseError:
        return False
    return True


@pytest.mark.parametrize(
    "typed",
    [
        "Fish & chips: \u201cprices\u201d fall \u2014 again",
        "Tab\tand\nnew lines\n\nstay",
        "\u05e9\u05dc\u05d5\u05dd \u202bright-to-left\u202c \u2067isolate\u2069",
        "Emoji \U0001f600 and astral \U00020000",
        "",
    ],
)
def test_clean_text_is_returned_as_typed(typed):
    assert clean_text(typed) is typed


@pytest.mark.parametrize(
    ("typed", "multiline", "one_line"),
    [
        # Word's manual line break and page break.
        ("one\x0btwo\x0cthree", "one\ntwo\nthree", "one two three"),
        ("Windows\r\nline\rends", "Windows\nline\nends", "Windows line ends"),
        ("tab\there", "tab\there", "tab here"),
        ("N\x00U\x00L\x00 and DEL\x7f", "NUL and DEL", "NUL and DEL"),
        ("field\x1frecord\x1eend\x01", "field record end ", "field record end "),
        # Windows-1252 read as Latin-1.
        (
            "It\x92s \x93quoted\x94 \x96 \x80 5",
            "It\u2019s \u201cquoted\u201d \u2013 \u20ac 5",
            None,
        ),
        ("undefined\x81here", "undefined here", None),
        ("no\ufffenon\uffffchar\ufdd0acters\U0010fffe", "nononcharacters", None),
        # A pair of surrogates is the character they encode; one alone is
        # replaced, as a UTF-8 decoder replaces a bad byte.
        ("pair \ud83d\ude00 lone \ud800 end", "pair \U0001f600 lone \ufffd end", None),
    ],
)
def test_what_clean_text_changes(typed, multiline, one_line):
    assert clean_text(typed) == multiline
    assert clean_text(typed, multiline=False) == (one_line or multiline)


def test_every_non_character_is_removed():
    assert len(NON_CHARACTERS) == 66
    assert clean_text("a" + "".join(NON_CHARACTERS) + "b") == "ab"


def test_what_is_not_text_is_left_alone():
    for value in [None, 3, b"\x0b"]:
        assert clean_text(value) is value


@properties
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
@example("\x0b\ufffe\x00\ud800\r")
def test_whatever_comes_in_xml_can_carry_what_goes_out(typed):
    for multiline in (True, False):
        cleaned = clean_text(typed, multiline=multiline)
        assert xml_can_carry(cleaned)
        assert clean_text(cleaned, multiline=multiline) == cleaned
        cleaned.encode("utf-8")  # no surrogate left
        if not multiline:
            assert "\n" not in cleaned and "\t" not in cleaned


@properties
@given(
    st.text(alphabet=st.characters(min_codepoint=0x20, exclude_categories=["Cs", "Cc"]))
)
def test_text_without_controls_comes_back_unchanged_but_for_non_characters(typed):
    assert clean_text(typed) == "".join(c for c in typed if c not in NON_CHARACTERS)
