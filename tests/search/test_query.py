"""What a reader types, read once into a query both databases are given in
their own syntax, every word quoted."""

import pytest

from search.query import MAX_LENGTH, parse


def test_words_are_all_required():
    query = parse("Aleppo ceasefire")
    assert query.fts5() == '("aleppo" AND "ceasefire")'
    assert query.websearch() == '"Aleppo" "ceasefire"'


def test_a_quoted_phrase_stays_a_phrase():
    query = parse('"battle for aleppo" peace')
    assert query.fts5() == '("battle for aleppo" AND "peace")'
    assert query.websearch() == '"battle for aleppo" "peace"'


def test_an_unclosed_quote_runs_to_the_end():
    assert parse('peace "battle for').fts5() == '("peace" AND "battle")'


def test_a_minus_leaves_out_a_word_or_a_phrase():
    query = parse('election -council -"local government"')
    assert query.fts5() == '("election") NOT "council" NOT "local government"'
    assert query.websearch() == '"election" -"council" -"local government"'


def test_or_separates_alternatives_in_any_case():
    query = parse("flood OR bushfire or cyclone warning")
    assert query.fts5() == '("flood") OR ("bushfire") OR ("cyclone" AND "warning")'
    assert query.websearch() == '"flood" or "bushfire" or "cyclone" "warning"'


def test_a_hyphenated_word_is_a_phrase_of_its_parts_for_fts5():
    query = parse("covid-19")
    assert query.fts5() == '("covid 19")'
    # PostgreSQL's own parser reads it as it read the stories.
    assert query.websearch() == '"covid-19"'


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "-election", "-election -council", "the", "of the", '"the"', "or",
     "?!", "***", "🗳️", "-", '"', "()", "don't", "it's"],
)  # fmt: skip
def test_nothing_to_look_for_is_no_query(typed):
    assert not parse(typed)


def test_an_alternative_of_exclusions_alone_is_dropped():
    # FTS5 cannot find "everything but"; PostgreSQL is given the same query.
    query = parse("election or -council")
    assert query.fts5() == '("election")'
    assert query.websearch() == '"election"'


def test_stop_words_are_dropped_alone_and_from_the_ends_of_phrases():
    query = parse('the election "of the people"')
    assert query.fts5() == '("election" AND "people")'
    assert parse('"battle for aleppo"').fts5() == '("battle for aleppo")'


@pytest.mark.parametrize(
    ("typed", "fts5"),
    [
        ('NEAR("x" "y")', '("near" AND "x" AND "y")'),
        ("headline:aleppo", '("headline aleppo")'),
        ("aleppo*", '("aleppo")'),
        ("'; DROP TABLE stories; --", '("drop" AND "table" AND "stories")'),
        ("a AND b NOT c", '("b" AND "c")'),
        ("^aleppo +peace", '("aleppo" AND "peace")'),
        ("سوريا حلب", '("سوريا" AND "حلب")'),
        ("Café", '("café")'),
    ],
)  # fmt: skip
def test_fts5_syntax_typed_by_a_reader_is_only_words(typed, fts5):
    assert parse(typed).fts5() == fts5


def test_only_the_first_max_length_characters_are_read():
    query = parse("x" * MAX_LENGTH + " extra")
    assert "extra" not in query.fts5()
    assert len(parse("word " * 1000).alternatives[0].required) == MAX_LENGTH // 5
