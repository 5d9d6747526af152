"""Inside the bench's throwaway site: setting it up, seeding it, and counting
each page's queries. scripts/bench.py runs this as a subprocess with the
site's environment (database, cache, media and static folders), as one would
run `manage.py shell`; every command prints one line of JSON last.

    python scripts/bench_seed.py setup
    python scripts/bench_seed.py seed --first 0 --count 1000 --started 1764000000
    python scripts/bench_seed.py vacuum
    python scripts/bench_seed.py census /path/ ...
    python scripts/bench_seed.py editor --every 10 --seconds 300

Stories are written as an import would write them, through
`desk.services.import_articles` (checked, rendered from Markdown, stored in
bulk with their history), never by saving rows directly. Story `n` went out
`n` intervals before the bench started, so stories added later are older:
the archive grows behind the front page, and the pages measured at 1,000
stories show the same stories at 100,000.
"""

import argparse
import datetime
import io
import json
import random
import sys
import time

SOURCES = [
    # load_demo makes "aap" and "sbs-news"; three more spread the stories
    # so that a source's page is a real filter over the archive.
    {"slug": "harbour-wire", "name": "Harbour Wire", "url": "https://wire.example/"},
    {"slug": "city-desk", "name": "City Desk", "url": "https://city.example/"},
    {"slug": "regional", "name": "Regional Press", "url": "https://regional.example/"},
]
INTERVAL = datetime.timedelta(minutes=7)
# The story whose page is measured: recent, with a picture.
STORY = 10
BATCH = 2000  # stories per import_articles call (one transaction each)

# A small newsroom vocabulary, so that no two stories are the same text.
PLACES = [
    "Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide", "Hobart", "Darwin",
    "Canberra", "Geelong", "Newcastle", "Townsville", "Cairns", "Ballarat",
    "Wollongong", "Launceston", "Bendigo", "Albury", "Broome", "Mildura",
]  # fmt: skip
WHO = [
    "the state government", "the council", "the federal minister",
    "union leaders", "the opposition", "residents", "the health department",
    "police", "the transport authority", "local business owners", "the premier",
    "emergency services", "the school board", "researchers", "farmers",
]  # fmt: skip
DID = [
    "announced a review of", "promised new funding for", "raised concerns about",
    "called for an inquiry into", "welcomed changes to", "delayed a decision on",
    "released a report on", "voted against", "defended plans for",
    "warned of delays to",
]  # fmt: skip
WHAT = [
    "the new rail line", "water restrictions", "hospital waiting times",
    "the housing strategy", "bushfire preparations", "the city budget",
    "school funding", "a wind farm", "the harbour redevelopment",
    "public transport fares", "flood defences", "the stadium upgrade",
    "mental health services", "the regional airport", "road safety",
]  # fmt: skip
WHEN = [
    "on Tuesday", "late on Friday", "this week", "after months of talks",
    "at a press conference", "in a statement", "overnight", "on Monday morning",
]  # fmt: skip
ASIDES = [
    "The figures have not been independently verified.",
    "A spokesperson said more details would be released in coming weeks.",
    "Similar proposals have failed twice before.",
    "The decision is expected to be challenged.",
    "Submissions close at the end of the month.",
    "It is the third such announcement this year.",
    "Critics say the timeline is unrealistic.",
    "The measure still needs the approval of the upper house.",
]  # fmt: skip
# Named in one story in RARE_EVERY: what the bench's selective search finds.
RARE_WORD = "wollemi"
RARE_EVERY = 500

SUBHEADS = [
    "What happens next", "Why it matters", "How we got here",
    "What residents say", "The numbers", "Reaction",
]  # fmt: skip


def capitalised(text):
    return text[0].upper() + text[1:]


def sentence(rng):
    return capitalised(
        f"{rng.choice(WHO)} {rng.choice(DID)} {rng.choice(WHAT)} "
        f"in {rng.choice(PLACES)} {rng.choice(WHEN)}."
    )


def paragraph(rng):
    parts = [sentence(rng) for _ in range(rng.randint(2, 3))]
    parts.append(rng.choice(ASIDES))
    if rng.random() < 0.3:
        parts[0] = parts[0].replace(" the ", " *the* ", 1)
    return " ".join(parts)


def body(rng, n):
    """Six to eleven paragraphs of Markdown: a subheading, a link, a quote or
    a list in some, as editors write them."""
    blocks = [paragraph(rng) for _ in range(rng.randint(6, 11))]
    blocks[1] += (
        f" [Read the full report](https://example.com/reports/{n}) "
        "or **see the summary**."
    )
    if rng.random() < 0.6:
        blocks.insert(rng.randint(2, len(blocks) - 1), f"## {rng.choice(SUBHEADS)}")
    if rng.random() < 0.4:
        blocks.insert(
            rng.randint(1, len(blocks)),
            f'> "{sentence(rng)}" said a spokesperson for {rng.choice(WHO)}.',
        )
    if rng.random() < 0.2:
        blocks.append("\n".join(f"- {sentence(rng)}" for _ in range(3)))
    return "\n\n".join(blocks)


def story(n, *, sources, sections, image, started):
    rng = random.Random(n)
    what, where = rng.choice(WHAT), rng.choice(PLACES)
    fields = {
        "headline": capitalised(f"{rng.choice(WHO)} {rng.choice(DID)} {what}")
        + f" in {where}",
        "slug": f"{what}-{where}-{n}".replace(" ", "-").lower(),
        "standfirst": f"{sentence(rng)} {rng.choice(ASIDES)}",
        "body": body(rng, n),
        "byline": rng.choice(["", "Staff reporters", f"Sam Writer in {where}"]),
        "source": sources[n % len(sources)],
        # Spread over the demo's sections, World among them.
        "section": sections[n % len(sections)],
        "status": "published",
        "published_at": started - (n + 1) * INTERVAL,
    }
    if n % RARE_EVERY == 0:
        fields["body"] += (
            f"\n\nThe {RARE_WORD.capitalize()} pine inquiry will report next year."
        )
    if n % 2 == 0:
        # Half the stories carry a picture: the demo story's stored file.
        fields |= {
            "image": image.name,
            "image_alt": f"Placeholder picture for a story from {where}",
            "image_caption": f"The scene in {where}",
            "image_credit": "AAP",
        }
    return fields


def setup():
    from django.core.management import call_command
    from django.templatetags.static import static

    from articles.models import Source
    from desk import services

    quiet = io.StringIO()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("collectstatic", interactive=False, verbosity=0, stdout=quiet)
    call_command("load_demo", stdout=quiet)
    for fields in SOURCES:
        if not Source.objects.filter(slug=fields["slug"]).exists():
            services.create_source(user=None, description="", **fields)
    return {"static_url": static("css/site.css")}


def seed(first, count, started):
    from articles.models import Article, Section, Source
    from desk import services

    sources = list(Source.objects.order_by("pk"))
    sections = list(Section.objects.filter(in_navigation=True).order_by("pk"))
    image = Article.objects.exclude(image="").order_by("pk").first().image
    kwargs = {
        "sources": sources,
        "sections": sections,
        "image": image,
        "started": started,
    }
    began = time.perf_counter()
    for start in range(first, first + count, BATCH):
        stop = min(start + BATCH, first + count)
        services.import_articles(
            user=None,
            stories=(story(n, **kwargs) for n in range(start, stop)),
        )
    seconds = time.perf_counter() - began
    measured = Article.objects.filter(slug=story(STORY, **kwargs)["slug"]).first()
    return {
        "seconds": seconds,
        "story_url": measured and measured.get_absolute_url(),
    }


def vacuum():
    """As autovacuum would soon after a big import in production: fresh
    statistics for the planner and, on PostgreSQL, a visibility map that
    lets index-only scans skip the table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
        )
    return {}


def census(paths):
    """Status and SQL queries of one request to each page: warm (its copy
    already in the cache) and cold (no cache at all, as the cold server)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    found = {}
    for path in paths:
        client = Client()
        client.get(path)  # primes the cache, and any per-process state
        with CaptureQueriesContext(connection) as warm:
            status = client.get(path).status_code
        with override_settings(CACHES=dummy), CaptureQueriesContext(connection) as cold:
            cold_status = client.get(path).status_code
        found[path] = {
            "status": status,
            "cold_status": cold_status,
            "warm": len(warm),
            "cold": len(cold),
        }
    return found


def editor(every, seconds):
    """An editor publishing a new story every `every` seconds for `seconds`,
    through the services as the admin would; a JSON line for each, as soon
    as it has committed (the soak, scripts/bench_soak.py, watches for it)."""
    from articles.models import Source
    from desk import services

    sources = list(Source.objects.order_by("pk"))
    ends = time.monotonic() + seconds
    n = 0
    while time.monotonic() + every <= ends:
        time.sleep(every)
        n += 1
        draft = services.create_article(
            user=None,
            headline=f"Soak bulletin {n}: {PLACES[n % len(PLACES)]} update",
            slug=f"soak-bulletin-{n}-{int(time.time())}",
            standfirst="A bulletin published during the soak.",
            body=body(random.Random(n), n),
            source=sources[n % len(sources)],
        )
        story = services.publish_article(article=draft, user=None)
        print(
            json.dumps(
                {
                    "headline": story.headline,
                    "url": story.get_absolute_url(),
                    "committed": time.time(),
                }
            ),
            flush=True,
        )
    return {"published": n}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("setup")
    commands.add_parser("vacuum")
    seeding = commands.add_parser("seed")
    seeding.add_argument("--first", type=int, required=True)
    seeding.add_argument("--count", type=int, required=True)
    seeding.add_argument("--started", type=float, required=True, help="timestamp")
    counting = commands.add_parser("census")
    counting.add_argument("paths", nargs="+")
    publishing = commands.add_parser("editor")
    publishing.add_argument("--every", type=float, required=True)
    publishing.add_argument("--seconds", type=float, required=True)
    options = parser.parse_args()

    import django

    django.setup()
    if options.command == "setup":
        result = setup()
    elif options.command == "vacuum":
        result = vacuum()
    elif options.command == "seed":
        started = datetime.datetime.fromtimestamp(options.started, datetime.UTC)
        result = seed(options.first, options.count, started)
    elif options.command == "editor":
        result = editor(options.every, options.seconds)
    else:
        result = census(options.paths)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
