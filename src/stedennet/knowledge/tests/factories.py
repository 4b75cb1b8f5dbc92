"""Factories for knowledge tests: topics, library items, questions and answers.

A question or answer needs a person, and ``PersonFactory`` a member city (Amstelveen by default):
use them with the ``g40`` fixture. Search-index updates wait for the commit as in production."""

import factory

from stedennet.governance.models import Visibility
from stedennet.governance.tests.factories import PersonFactory
from stedennet.knowledge.models import Answer, LibraryItem, Question, Topic


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Onderwerp {n}")
    slug = factory.Sequence(lambda n: f"onderwerp-{n}")


class LibraryItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryItem
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Stuk {n}")
    visibility = Visibility.PUBLIC

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    title = factory.Sequence(lambda n: f"Wie heeft ervaring met vraag {n}?")
    asker = factory.SubFactory(PersonFactory, function="civil_servant")
    municipality = factory.SelfAttribute("asker.municipality")
    visibility = Visibility.MEMBERS


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    question = factory.SubFactory(QuestionFactory)
    author = factory.SubFactory(PersonFactory, function="civil_servant")
    body = factory.Sequence(lambda n: f"Antwoord {n}.")
