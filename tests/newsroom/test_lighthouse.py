"""Lighthouse on the front page, on a phone: accessibility, best practices
and SEO at 100. Performance is a timing, measured by `make bench`
(scripts/lighthouse.py), never asserted here."""

import pytest

from scripts.lighthouse import audit, build_site, site_env
from tests.servers import free_port, serving

pytestmark = pytest.mark.browser

ASSERTED = ["accessibility", "best-practices", "seo"]


def test_the_front_page_scores_100_for_accessibility_best_practices_and_seo(
    tmp_path,
):
    port = free_port()
    env = site_env(tmp_path, port)
    build_site(env)
    with serving(env, port, tmp_path / "gunicorn.log") as server:
        scores, lost = audit(server.url + "/", categories=ASSERTED)
    assert set(scores) == set(ASSERTED)
    assert scores == dict.fromkeys(ASSERTED, 1), lost
