"""Who may do what on the editors' desk.

Plain functions of a user and, where it matters, a story: the admin's
permission hooks are one-line calls to them, and `services/` asks them
again before it writes, so a forged request fails in the same place as a
button that was never shown.

Reporters draft, and change or delete their own stories while they are
drafts. Editors (who hold `articles.publish_article`) may do everything,
publishing included. The groups that carry these permissions are made by
the roles migration, `articles/migrations/0002_editor_roles.py`.

`user=None` is the site acting on its own: management commands such as
`load_demo`, imports and the wire. It may do anything; every request from
the admin carries a real user.
"""

PUBLISH_PERMISSION = "articles.publish_article"


def _has(user, permission):
    return user is None or user.has_perm(permission)


def can_preview(user):
    return _has(user, "articles.view_article")


def can_create(user):
    return _has(user, "articles.add_article")


def can_publish(user):
    """Publish, schedule or unpublish any story, and set its time."""
    return _has(user, PUBLISH_PERMISSION)


def wrote(user, article):
    return user is not None and article.created_by_id == user.pk


def is_own_draft(user, article):
    return article.status == article.Status.DRAFT and wrote(user, article)


def can_edit(user, article):
    return _has(user, "articles.change_article") and (
        can_publish(user) or is_own_draft(user, article)
    )


def can_delete(user, article):
    return _has(user, "articles.delete_article") and (
        can_publish(user) or is_own_draft(user, article)
    )


def can_restore_deleted(user, article):
    """Bring a deleted story back, as a draft. `article` is the story as it
    was deleted (its last historical record's instance).

    Editors may restore any story. A reporter may restore their own draft,
    which is what they may delete themselves: a draft brought back shows
    readers nothing, so it gives them no more than writing it again would,
    and refusing would only cost them their text.
    """
    return can_create(user) and (can_publish(user) or is_own_draft(user, article))


def may_send_edit(user, article):
    """May post the story's form, to have it checked.

    Wider than `can_edit` by one case: a reporter's form for their own
    draft, sent after an editor published it. Letting it through (instead
    of a bare 403) lets the stale-version check answer with their text
    kept; the save itself is refused unless `can_edit` holds.
    """
    return can_edit(user, article) or wrote(user, article)


def can_add_source(user):
    return _has(user, "articles.add_source")


def can_change_source(user):
    return _has(user, "articles.change_source")


def can_delete_source(user):
    return _has(user, "articles.delete_source")


def can_manage_sections(user):
    """Add, rename, reorder or remove the site's sections."""
    return can_publish(user)


def can_manage_authors(user):
    """Write staff authors' public profiles."""
    return can_publish(user)


def can_manage_topics(user):
    """Add or rename topics: anyone who writes stories tags them."""
    return can_create(user)


def can_delete_topics(user):
    return can_publish(user)


def can_manage_site_pages(user):
    """Write the pages about the site: About, Contact, the corrections
    policy, Privacy."""
    return can_publish(user)


def can_curate_front_page(user):
    """Choose the front page's lead and second-tier stories."""
    return can_publish(user)


def can_restore_archive(user):
    """Restore a whole site from an archive (`import_content`): the site
    itself, or a superuser."""
    return user is None or user.is_superuser
