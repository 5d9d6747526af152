"""Every write: stories, sources, sections, authors, topics, site pages and
the front page.

The admin's form and actions, `load_demo`, imports and the wire all come
through these functions; nothing else saves a story. Each takes keyword-only
arguments and runs in one transaction. It asks desk/policy.py whether the
user may act, and refuses with PermissionDenied if not; validates what it
stores (ValidationError); and records who acted and why, on the row and in
its history. When what readers see changes, it raises the site's edition
number in the same transaction and, once that has committed, stores the new
edition for every app server and asks the CDN to purge the pages that showed
the change (articles/edition.py, core/cdn.py).

`user=None` is the site acting on its own (see policy.py).

The functions live by job: stories.py (one story), imports.py (many at
once, archives), sources.py, listings.py (sections, authors, topics, site
pages, front page places); writing.py holds the parts of a story's save
they share, editions.py how a change reaches readers. Callers import this
package: `from desk import services; services.publish_article(...)`.
"""

from .imports import import_articles, restore_archive, strip_stored_image
from .listings import (
    AUTHOR_FIELDS,
    SECTION_FIELDS,
    SITE_PAGE_FIELDS,
    TOPIC_FIELDS,
    delete_author,
    delete_section,
    delete_site_page,
    delete_topic,
    pin_story,
    save_author,
    save_section,
    save_site_page,
    save_topic,
    unpin_story,
)
from .sources import SOURCE_FIELDS, create_source, delete_source, update_source
from .stories import (
    create_article,
    delete_article,
    publish_article,
    restore_deleted_article,
    restore_version,
    unpublish_article,
    update_article,
)
from .writing import (
    ADDRESS_TAKEN,
    STORY_FIELDS,
    StaleEdit,
    claim_address,
    lock_for_edit,
    old_address_problem,
    publication_time,
)

__all__ = [
    "ADDRESS_TAKEN",
    "AUTHOR_FIELDS",
    "SECTION_FIELDS",
    "SITE_PAGE_FIELDS",
    "SOURCE_FIELDS",
    "STORY_FIELDS",
    "TOPIC_FIELDS",
    "StaleEdit",
    "claim_address",
    "create_article",
    "create_source",
    "delete_article",
    "delete_author",
    "delete_section",
    "delete_site_page",
    "delete_source",
    "delete_topic",
    "import_articles",
    "lock_for_edit",
    "old_address_problem",
    "pin_story",
    "publication_time",
    "publish_article",
    "restore_archive",
    "restore_deleted_article",
    "restore_version",
    "save_author",
    "save_section",
    "save_site_page",
    "save_topic",
    "strip_stored_image",
    "unpin_story",
    "unpublish_article",
    "update_article",
    "update_source",
]
