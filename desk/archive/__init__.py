"""A portable copy of the site's content: `export_content` writes one,
`import_content` restores one (through desk/services'
`restore_archive`).

One zip file, which any zip tool opens and any JSON reader reads:

    manifest.json     what it is: the format and its version, the site, when
                      it was made, how many records each file holds, the
                      migrations the site had applied and its edition
    sources.jsonl     one JSON object a line, in id order
    sections.jsonl
    authors.jsonl     (their photos under media/authors/)
    topics.jsonl
    stories.jsonl
    versions.jsonl    every history record, deleted stories' included
    authorships.jsonl the authors credited on each story, in order
    story_topics.jsonl  the topics of each story
    redirects.jsonl   old addresses of stories
    source_redirects.jsonl  old addresses of sources
    front_page.jsonl  the stories editors put in the front page's places
    media.jsonl       every stored file the rows name: its name, size and
                      SHA-256, or that it was missing when the copy was made
    media/<name>      the files: hero images and card thumbnails

Rows keep their ids (feed readers know a story by its id, and the history
by it), their times and their words exactly. Times are ISO 8601 in UTC;
people are their usernames, since accounts are not in the archive.

`format.py` says what each record holds, `writer.py` writes an archive a
row at a time (it never holds the stories in memory), and `reader.py`
checks one through before anything is written and hands the services its
rows.
"""

from .format import FORMAT, VERSION, ArchiveError
from .reader import Archive
from .writer import export_archive

__all__ = ["FORMAT", "VERSION", "Archive", "ArchiveError", "export_archive"]
