import pytest

from articles import text


def words(n):
    return " ".join(["word"] * n)


@pytest.mark.parametrize(
    ("word_count", "minutes"),
    [(0, 1), (1, 1), (238, 1), (239, 2), (476, 2), (477, 3), (358, 2)],
)
def test_reading_minutes_rounds_up_at_238_words_a_minute(word_count, minutes):
    assert text.reading_minutes(word_count) == minutes


def test_counts_words_not_markup_or_link_addresses():
    html = text.render_markdown(
        "**Bold** words and [a link](https://example.com/a/very/long/path) here."
    )
    assert text.count_words(text.plain_text(html)) == 6


def test_counts_hyphenated_names_and_contractions_as_one_word():
    assert text.count_words("al-Assad's forces didn't stop") == 4


def test_punctuation_alone_is_not_a_word():
    assert text.count_words("Yes — no … 2016") == 3


def test_exactly_238_words_of_markdown_is_one_minute():
    html = text.render_markdown(f"*{words(100)}*\n\n{words(138)}")
    assert text.count_words(text.plain_text(html)) == 238


def test_markdown_keeps_the_elements_a_story_needs():
    html = text.render_markdown(
        "## Subheading\n\nA *stressed* and **strong** [link](https://example.com).\n\n"
        "> A quote.\n\n- one\n- two\n\nBetween.\n\n1. first\n"
    )
    for fragment in [
        "<h2>Subheading</h2>",
        "<em>stressed</em>",
        "<strong>strong</strong>",
        '<a href="https://example.com" rel="noopener noreferrer">link</a>',
        "<blockquote>\n<p>A quote.</p>\n</blockquote>",
        "<ul>",
        "<ol>",
    ]:
        assert fragment in html


def test_a_markdown_h1_becomes_a_subheading():
    assert text.render_markdown("# Big") == "<h2>Big</h2>"
