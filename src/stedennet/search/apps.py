from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Site-wide search over what every domain app has to find (library, questions, people,
    pages, work programmes, meeting documents, decisions). Above the domain apps, below the site."""

    name = "stedennet.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from stedennet.search import signals

        signals.connect()  # index updates as background tasks on every save and delete
