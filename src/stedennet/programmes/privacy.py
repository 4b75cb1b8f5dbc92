"""What work programmes hold on a person (see ``accounts.privacy``): the progress updates they
wrote. The updates stay (they are the programme's history), attributed to "former member of …"."""

from django.utils.translation import gettext_lazy as _

from stedennet.accounts.privacy import ANONYMISE, holding_register, records
from stedennet.programmes.models import ProgressUpdate


def _updates(subject):
    if subject.person_id is None:
        return []
    return records(ProgressUpdate.objects.filter(author_id=subject.person_id).select_related("action"),
                   ["action", "date", "status", "text"])


holding_register(
    ProgressUpdate, basis=ANONYMISE, export=_updates,
    what=_("Progress updates you wrote on work-programme actions. They stay, without your name."))
