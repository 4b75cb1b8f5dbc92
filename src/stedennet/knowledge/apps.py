from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "stedennet.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge exchange")

    def ready(self):
        from stedennet.knowledge import search_index

        search_index.connect()  # index updates as background tasks on every save and delete
