import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, Author, Section, SitePage, Source, Topic
from desk import policy, services


class SourceFactory(factory.django.DjangoModelFactory):
    """A source, made through the desk's services (or the one already
    using that slug)."""

    class Meta:
        model = Source

    @classmethod
    def _create(cls, model_class, *args, **fields):
        existing = Source.objects.filter(slug=fields["slug"]).first()
        return existing or services.create_source(user=None, **fields)

    name = factory.Sequence(lambda n: f"Agency {n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")
    url = "https://agency.example.com/"
    description = "A wire service."


class SectionFactory(factory.django.DjangoModelFactory):
    """A section in the navigation, made through the desk's services."""

    class Meta:
        model = Section

    @classmethod
    def _create(cls, model_class, *args, **fields):
        return services.save_section(user=None, **fields)

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    description = "Stories of one kind."
    position = factory.Sequence(lambda n: n + 1)
    in_navigation = True


class AuthorFactory(factory.django.DjangoModelFactory):
    """A staff author's profile, made through the desk's services."""

    class Meta:
        model = Author

    @classmethod
    def _create(cls, model_class, *args, **fields):
        return services.save_author(user=None, **fields)

    name = factory.Sequence(lambda n: f"Reporter {n}")
    slug = factory.Sequence(lambda n: f"reporter-{n}")
    title = "Reporter"
    bio = "Writes about the news."


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    @classmethod
    def _create(cls, model_class, *args, **fields):
        return services.save_topic(user=None, **fields)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class SitePageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SitePage

    @classmethod
    def _create(cls, model_class, *args, **fields):
        return services.save_site_page(user=None, **fields)

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    description = "What this page is for."
    body = "A paragraph.\n\nAnother paragraph."


class ArticleFactory(factory.django.DjangoModelFactory):
    """A story, made through the desk's services as the write path makes
    every story: `created_by` (or `updated_by`) is who wrote it. A published
    story by a reporter was written as a draft and published by the site."""

    class Meta:
        model = Article

    @classmethod
    def _create(cls, model_class, *args, created_by=None, updated_by=None, **fields):
        user = created_by or updated_by
        if (
            user is not None
            and fields.get("status") == Article.Status.PUBLISHED
            and not policy.can_publish(user)
        ):
            at = fields.pop("published_at", None)
            draft = services.create_article(
                user=user, **fields | {"status": Article.Status.DRAFT}
            )
            return services.publish_article(article=draft, user=None, at=at)
        return services.create_article(user=user, **fields)

    class Params:
        published = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(
                lambda: timezone.now() - datetime.timedelta(hours=1)
            ),
        )
        scheduled = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(
                lambda: timezone.now() + datetime.timedelta(days=1)
            ),
        )

    headline = factory.Sequence(lambda n: f"Story number {n} makes the news")
    slug = factory.Sequence(lambda n: f"story-number-{n}")
    standfirst = "A short summary of what happened."
    body = "The first paragraph.\n\nThe second paragraph."
    source = factory.SubFactory(SourceFactory)
    status = Article.Status.DRAFT
    published_at = None


PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A staff account; `role="Reporter"` or `"Editor"` puts it in that group
    (made by the roles migration)."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Sequence(lambda n: f"Staff{n}")
    last_name = "Member"
    email = factory.LazyAttribute(lambda user: f"{user.username}@news.example.com")
    is_staff = True
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create and extracted:
            user.groups.add(Group.objects.get(name=extracted))
