from articles.sharing import share_links

URL = "https://news.example.com/2016/12/24/q-and-a/"
TITLE = 'Q&A: "Who’s next?" Café owners ask'
ENC_URL = "https%3A%2F%2Fnews.example.com%2F2016%2F12%2F24%2Fq-and-a%2F"
ENC_TITLE = "Q%26A%3A%20%22Who%E2%80%99s%20next%3F%22%20Caf%C3%A9%20owners%20ask"


def test_share_urls_are_exactly_encoded():
    links = {link.network: link.href for link in share_links(url=URL, title=TITLE)}
    assert links == {
        "facebook": f"https://www.facebook.com/sharer/sharer.php?u={ENC_URL}",
        "x": f"https://x.com/intent/tweet?text={ENC_TITLE}&url={ENC_URL}",
        "linkedin": f"https://www.linkedin.com/sharing/share-offsite/?url={ENC_URL}",
        "whatsapp": f"https://wa.me/?text={ENC_TITLE}%20{ENC_URL}",
        "reddit": f"https://www.reddit.com/submit?url={ENC_URL}&title={ENC_TITLE}",
        "bluesky": f"https://bsky.app/intent/compose?text={ENC_TITLE}%20{ENC_URL}",
        "telegram": f"https://t.me/share/url?url={ENC_URL}&text={ENC_TITLE}",
        "email": f"mailto:?subject={ENC_TITLE}&body={ENC_URL}",
    }


def test_spaces_are_never_plus_signs():
    links = share_links(url=URL, title="a b+c")
    titled = [link for link in links if link.network not in {"facebook", "linkedin"}]
    assert len(titled) == 6
    for link in titled:
        assert "a%20b%2Bc" in link.href
    for link in links:
        assert "+" not in link.href
