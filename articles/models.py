import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from . import text
from .formats import local_time

# What the URL patterns' <slug:...> converter routes. A slug with anything
# else (a dot, a space) could be stored by an import but never linked to.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+\Z"


# Publication times a story may have: wide enough for any archive a news
# site imports, narrow enough to catch a mistyped year (0216 for 2016) and to
# keep every time, in any zone, one Python and the databases can hold (year
# 1 or 9999 overflows when converted).
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200
PUBLICATION_RANGE = (
    f"Give a publication time between the years {EARLIEST_YEAR} and {LATEST_YEAR}."
)


def valid_slug(name):
    return models.CheckConstraint(
        condition=Q(slug__regex=SLUG_PATTERN),
        name=name,
        violation_error_message=(
            "Use only letters, numbers, hyphens and underscores in the slug."
        ),
    )


class Source(models.Model):
    """A news organisation stories come from or are credited to."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    url = models.URLField("website", blank=True)
    description = models.TextField(blank=True)
    # Feeds and story pages show the source: their validators include this.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            valid_slug("source_slug_is_routable"),
            # Shown as a link on its page and in JSON-LD: never a script
            # (javascript:) or a document (data:), whoever writes the row.
            models.CheckConstraint(
                condition=Q(url="") | Q(url__iregex=r"^https?://"),
                name="source_url_is_a_web_address",
                violation_error_message="The website must be an http:// or "
                "https:// address.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:source", kwargs={"slug": self.slug})

    def clean(self):
        if not re.match(SLUG_PATTERN, self.slug or ""):
            return  # refused by the slug's own validation
        # Another source's old address keeps leading to it.
        taken = (
            SourceRedirect.objects.filter(slug=self.slug)
            .exclude(source_id=self.pk)
            .values_list("source__name", flat=True)
            .first()
        )
        if taken is not None:
            raise ValidationError(
                {
                    "slug": f"This was the address of {taken} before its slug "
                    "changed, and links to it still lead there. Choose another."
                }
            )

    @classmethod
    def formerly_at(cls, slug):
        """The source whose slug was `slug` before it was renamed, or None."""
        return cls.objects.filter(old_slugs__slug=slug).first()


class SourceRedirect(models.Model):
    """A slug a source had before it was renamed: its page and feeds keep
    answering there (with a permanent redirect), and no other source may
    take it while it does."""

    slug = models.SlugField(max_length=100, unique=True)
    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="old_slugs"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [valid_slug("old_source_slug_is_routable")]

    def __str__(self):
        return f"{self.slug} → {self.source_id}"


class Section(models.Model):
    """A part of the site (World, Politics, Sport): every story is in one,
    and the masthead lists those `in_navigation`, by `position`."""

    # Where stories go when no section is given: those that existed before
    # sections did, and agency copy not yet sorted.
    DEFAULT_SLUG = "news"

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(
        blank=True, help_text="A sentence for the section's page and search engines."
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the navigation: lower comes first."
    )
    in_navigation = models.BooleanField(
        "in the navigation",
        default=True,
        help_text="Shown in the masthead's list of sections and on the front page.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [valid_slug("section_slug_is_routable")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})

    @classmethod
    def default(cls):
        section, _ = cls.objects.get_or_create(
            slug=cls.DEFAULT_SLUG, defaults={"name": "News", "position": 1000}
        )
        return section


class Author(models.Model):
    """A member of staff credited on stories, with a page of their own.
    Agency copy with no staff author keeps the free-text byline instead."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(
        max_length=200, blank=True, help_text="Their job, e.g. Political reporter."
    )
    bio = models.TextField(blank=True, max_length=2000)
    photo = models.ImageField(
        upload_to="authors/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    website = models.URLField(blank=True)
    profiles = models.TextField(
        "social profiles",
        blank=True,
        help_text="Addresses of their profiles elsewhere (Bluesky, Mastodon, "
        "LinkedIn...), one per line.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            valid_slug("author_slug_is_routable"),
            models.CheckConstraint(
                condition=Q(website="") | Q(website__iregex=r"^https?://"),
                name="author_website_is_a_web_address",
                violation_error_message="The website must be an http:// or "
                "https:// address.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})

    @property
    def links(self):
        """Their website, then their profiles: web addresses only."""
        found = [self.website] if self.website else []
        for line in self.profiles.splitlines():
            line = line.strip()
            if re.match(r"^https?://[^\s]+$", line, re.IGNORECASE):
                found.append(line)
        return found

    def clean(self):
        for line in self.profiles.splitlines():
            line = line.strip()
            if line and not re.match(r"^https?://[^\s]+$", line, re.IGNORECASE):
                raise ValidationError(
                    {
                        "profiles": f"{line!r} is not a web address: give one "
                        "https:// address per line."
                    }
                )


class Topic(models.Model):
    """What a story is about (a tag): stories have any number of them."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [valid_slug("topic_slug_is_routable")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:topic", kwargs={"slug": self.slug})


class SitePage(models.Model):
    """A page about the site itself (About, Contact, Corrections policy,
    Privacy), written by editors and linked from every page's footer. It
    lives at /<slug>/, an address nothing else on the site answers.

    Not django.contrib.flatpages: that brings the sites framework (the site
    takes its address from SITE_URL alone), and its admin saves around
    desk/services/, so no new edition would reach the cached pages whose
    footers list it."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="The page's address: /slug/. Letters, numbers and hyphens.",
    )
    description = models.CharField(
        max_length=300, help_text="A sentence for search engines and link previews."
    )
    body = models.TextField(
        help_text="Markdown, as in stories: paragraphs, **bold**, [links](https://…)."
    )
    body_html = models.TextField(editable=False, blank=True)
    in_footer = models.BooleanField(
        "in the footer", default=True, help_text="Linked from every page's footer."
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the footer: lower comes first."
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["body_html"])

    class Meta:
        ordering = ["position", "title"]
        constraints = [valid_slug("site_page_slug_is_routable")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = text.render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:site-page", kwargs={"slug": self.slug})

    def clean(self):
        if not re.match(SLUG_PATTERN, self.slug or ""):
            return  # refused by the slug's own validation
        if not self.answers_at(self.slug):
            raise ValidationError(
                {
                    "slug": f"/{self.slug}/ is already another part of the site. "
                    "Choose another slug."
                }
            )

    @staticmethod
    def answers_at(slug):
        """Whether /<slug>/ would reach a site page, rather than a part of
        the site that comes first (the admin, /latest/, static files)."""
        reserved = {
            prefix.strip("/").split("/")[0]
            for prefix in (settings.STATIC_URL, settings.MEDIA_URL)
        }
        if slug in reserved:
            return False
        try:
            match = resolve(f"/{slug}/")
        except Resolver404:
            return False
        return match.view_name == "articles:site-page"


class ArticleQuerySet(models.QuerySet):
    def published(self, *, at=None):
        """The one rule for what readers may see (now, or `at` a moment)."""
        return self.filter(
            status=Article.Status.PUBLISHED, published_at__lte=at or timezone.now()
        )

    def scheduled(self, *, at=None):
        return self.filter(
            status=Article.Status.PUBLISHED, published_at__gt=at or timezone.now()
        )

    def with_source(self):
        return self.select_related("source", "section")

    def with_credits(self):
        """Authors in byline order and topics, in two queries whatever the
        number of stories (see Article.credited_authors)."""
        return self.prefetch_related(
            models.Prefetch(
                "authorship_set",
                queryset=Authorship.objects.select_related("author").order_by(
                    "position", "pk"
                ),
            ),
            "topics",
        )

    def for_reading(self):
        """What a story page shows: its rendered body, not the Markdown."""
        return self.defer("body")

    def for_cards(self):
        """What a story card shows: no body at all."""
        return self.defer("body", "body_html")

    def formerly_at(self, slug):
        """Stories that were read under `slug` before it was edited."""
        return self.filter(old_slugs__slug=slug)


class Article(models.Model):
    # What editors write, in the order of the story form; everything else on
    # the row is derived from these or is bookkeeping.
    EDITORIAL_FIELDS = [
        "headline",
        "slug",
        "standfirst",
        "body",
        "image",
        "image_alt",
        "image_caption",
        "image_credit",
        "section",
        "label",
        "authors",
        "topics",
        "source",
        "byline",
        "status",
        "published_at",
    ]
    # Kept in tables of their own: set once the story's row is saved.
    RELATED_FIELDS = ["authors", "topics"]

    class Label(models.TextChoices):
        """What a card's kicker says instead of the section's name."""

        NONE = "", "None (the section's name)"
        BREAKING = "breaking", "Breaking"
        ANALYSIS = "analysis", "Analysis"
        OPINION = "opinion", "Opinion"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    headline = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The story's address on the site. Letters, numbers and hyphens.",
    )
    standfirst = models.TextField(
        max_length=600,
        help_text="The one-paragraph summary under the headline.",
    )
    body = models.TextField(blank=True)
    body_html = models.TextField(editable=False, blank=True)
    word_count = models.PositiveIntegerField(editable=False, default=0)
    byline = models.CharField(
        max_length=200,
        blank=True,
        help_text="Names as credited on agency copy (AAP) when no staff author "
        "is chosen above.",
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="articles"
    )
    label = models.CharField(
        max_length=20,
        choices=Label.choices,
        blank=True,
        default=Label.NONE,
        help_text="Shown above the headline on cards instead of the section.",
    )
    authors = models.ManyToManyField(
        Author,
        through="Authorship",
        related_name="articles",
        blank=True,
        help_text="Staff authors, in the order they are credited.",
    )
    topics = models.ManyToManyField(Topic, related_name="articles", blank=True)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="articles"
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="A time in the future schedules the story.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Incremented on every save; an edit form carries the version it was
    # opened with so that a stale save can be refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Whether readers have seen the story at its current slug (kept by the
    # services): only such an address is worth a redirect when the slug
    # changes. A working title a draft had never becomes a public address.
    address_went_live = models.BooleanField(default=False, editable=False)

    image = models.ImageField(
        "hero image",
        upload_to="articles/%Y/%m/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(
        "image alt text",
        max_length=300,
        blank=True,
        help_text="What the image shows, for readers who cannot see it.",
    )
    # A card-sized copy of the hero image for story lists, derived on save.
    thumbnail = models.ImageField(blank=True, editable=False)
    image_caption = models.CharField(max_length=300, blank=True)
    image_credit = models.CharField(
        max_length=200, blank=True, help_text="Who took or supplied the image."
    )

    history = HistoricalRecords(
        excluded_fields=["body_html", "word_count", "thumbnail", "address_went_live"]
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        # What the newsroom calls them, in the admin too ("Add story").
        verbose_name = "story"
        verbose_name_plural = "stories"
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        indexes = [
            models.Index(
                fields=["status", "-published_at"], name="article_listing_idx"
            ),
            # A source's page and feeds: its stories, newest first.
            models.Index(
                fields=["source", "status", "-published_at"],
                name="article_source_listing_idx",
            ),
            models.Index(
                fields=["section", "status", "-published_at"],
                name="article_section_listing_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_article_has_published_at",
            ),
            valid_slug("article_slug_is_routable"),
        ]
        permissions = [("publish_article", "Can publish stories")]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        """Keeps what follows from the row itself: its version and its
        rendered body. Every other rule is in desk/services/, the only
        code that saves stories."""
        if not self._state.adding:
            # Callers that care about concurrent edits (the admin form,
            # desk/services/) lock the row and start from its current version.
            self.version += 1
        self.render()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The story's dated address. A draft with no time yet gets the one it
        would have if it went out now (its staff preview shows that)."""
        day = local_time(self.published_at or timezone.now()).date()
        # A story page asks for its own address a dozen times (canonical,
        # share links, metadata); reverse() once per slug and day.
        remembered = self.__dict__.get("_address")
        if remembered is None or remembered[0] != (self.slug, day):
            url = reverse(
                "articles:detail",
                kwargs={
                    "year": day.year,
                    "month": day.month,
                    "day": day.day,
                    "slug": self.slug,
                },
            )
            self._address = remembered = ((self.slug, day), url)
        return remembered[1]

    def clean(self):
        if self.published_at and not (
            EARLIEST_YEAR <= local_time(self.published_at).year <= LATEST_YEAR
        ):
            raise ValidationError({"published_at": PUBLICATION_RANGE})
        if self.image and not self.image_alt.strip():
            raise ValidationError(
                {
                    "image_alt": "Describe the image for readers who cannot see "
                    "it: alt text is required when a story has an image."
                }
            )

    def render(self):
        """Derive the body's HTML and the word count from what was typed."""
        self.body_html = text.render_markdown(self.body)
        self.word_count = text.count_words(
            self.headline, self.standfirst, text.plain_text(self.body_html)
        )

    @property
    def figure_caption(self):
        """What reads under the picture, on its page and in feeds: the
        caption as a sentence, then who took or supplied it."""
        caption = self.image_caption.strip()
        if caption and not caption.endswith((".", "!", "?", "…")):
            caption += "."
        credit = f"Source: {self.image_credit}" if self.image_credit else ""
        return " ".join(part for part in [caption, credit] if part)

    @property
    def credited_authors(self):
        """The story's staff authors, in the order the byline gives them."""
        return [
            credit.author
            for credit in self.authorship_set.all()
            if credit.author_id is not None
        ]

    @property
    def kicker(self):
        """The word above a card's headline: the label, else the section."""
        if self.label:
            return self.get_label_display()
        return self.section.name

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def state_label(self):
        """Draft, Scheduled or Published, as editors say it."""
        if self.is_scheduled:
            return "Scheduled"
        return self.get_status_display()

    @property
    def reading_minutes(self):
        return text.reading_minutes(self.word_count)

    @property
    def was_updated(self):
        """Edited more than five minutes after publication.

        A story entered after its publication time (an import, a backdated
        wire story) counts from when it was entered, not from the time on it.
        """
        if self.published_at is None or self.updated_at is None:
            return False
        went_out = max(self.published_at, self.created_at or self.published_at)
        return (self.updated_at - went_out).total_seconds() > 300

    @property
    def modified_at(self):
        """When the story as readers see it last changed: a story scheduled
        after its last edit changed when it went out."""
        return max(self.published_at, self.updated_at)

    @property
    def absolute_url(self):
        return settings.SITE_URL + self.get_absolute_url()


class Authorship(models.Model):
    """An author's credit on a story, in the order the byline lists them."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    author = models.ForeignKey(Author, on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author"], name="author_credited_once"
            )
        ]
        indexes = [models.Index(fields=["author", "article"], name="author_story_idx")]

    def __str__(self):
        return f"{self.author_id} on {self.article_id}"


class SlugRedirect(models.Model):
    """An address a story was published under before an editor changed its
    slug: links already shared, in feed readers and in search engines keep
    working. Kept apart from the edit history, which may be pruned."""

    slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="old_slugs"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [valid_slug("old_slug_is_routable")]

    def __str__(self):
        return f"{self.slug} → {self.article_id}"


class Edition(models.Model):
    """The site as readers see it, numbered: one row, whose number goes up
    (in the same transaction) with every change readers can see.

    Rendered pages, ETags and Last-Modified come from this row and the times
    of scheduled stories (see articles/edition.py), never from aggregates
    over the stories, so they cost the same at any archive size. Only
    desk/services/ changes it.
    """

    number = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)
    # Goes up with every change to this row, the schedule's included: a
    # server storing a snapshot can tell whether a newer one was written.
    revision = models.PositiveBigIntegerField(default=0)
    # What the clock alone will change, worked out by the services with each
    # change, so that reading the edition is reading this row: the latest
    # publication time already passed, and the stories scheduled ([ISO time,
    # source id], earliest first; all of them unless the list was cut short).
    # schedule_complete is None until the first change after these came.
    live_since = models.DateTimeField(null=True, blank=True)
    upcoming = models.JSONField(default=list, blank=True)
    schedule_complete = models.BooleanField(null=True, blank=True)
    # Published stories in each listing then ("front", "source:<id>"), so
    # that no reader's page counts the archive.
    live_counts = models.JSONField(default=dict, blank=True)

    def __str__(self):
        return f"Edition {self.number}"


class FrontPagePin(models.Model):
    """A story an editor put in one of the front page's top places, until
    `ends_at` if given. An empty place shows the newest story not already
    on the front page."""

    class Slot(models.IntegerChoices):
        LEAD = 0, "Lead story"
        SECOND_1 = 1, "Second tier, first"
        SECOND_2 = 2, "Second tier, second"
        SECOND_3 = 3, "Second tier, third"
        SECOND_4 = 4, "Second tier, fourth"

    slot = models.PositiveSmallIntegerField(choices=Slot.choices, unique=True)
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="front_page_pins",
        verbose_name="story",
    )
    ends_at = models.DateTimeField(
        "until",
        null=True,
        blank=True,
        help_text="Leave empty to keep it there until it is changed.",
    )
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    pinned_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slot"]
        verbose_name = "front page place"
        verbose_name_plural = "front page places"

    def __str__(self):
        return self.get_slot_display()
