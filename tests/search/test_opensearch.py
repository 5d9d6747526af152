"""The OpenSearch description, as a browser reads it to offer the site's
search in its address bar."""

from xml.etree import ElementTree

import pytest

pytestmark = pytest.mark.django_db

OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


def test_the_description_names_the_search_page_on_the_public_address(client, settings):
    settings.SITE_URL = "https://news.example.com"
    settings.SITE_NAME = "The Harbour City Chronicle & Times"
    response = client.get("/opensearch.xml", headers={"host": "localhost"})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/opensearchdescription+xml; charset=utf-8"
    )
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{OPENSEARCH}OpenSearchDescription"
    # Browsers allow a short name of 16 characters at most.
    assert root.findtext(f"{OPENSEARCH}ShortName") == "The Harbour City"
    assert "Chronicle & Times" in root.findtext(f"{OPENSEARCH}Description")
    assert root.findtext(f"{OPENSEARCH}InputEncoding") == "UTF-8"
    urls = {url.get("type"): url for url in root.iter(f"{OPENSEARCH}Url")}
    results = urls["text/html"]
    assert results.get("method") == "get"
    assert results.get("template") == (
        "https://news.example.com/search/?q={searchTerms}"
    )
    assert urls["application/opensearchdescription+xml"].get("template") == (
        "https://news.example.com/opensearch.xml"
    )
    image = root.find(f"{OPENSEARCH}Image")
    assert image.text.startswith("https://news.example.com/static/img/favicon")
    assert image.get("type") == "image/svg+xml"


def test_the_search_it_names_answers(client):
    response = client.get("/search/", {"q": "{searchTerms}"})
    assert response.status_code == 200
