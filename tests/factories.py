import datetime

import factory
from django.utils import timezone

from articles.models import Article, Source


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Agency {n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")
    url = "https://agency.example.com/"
    description = "A wire service."


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

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
