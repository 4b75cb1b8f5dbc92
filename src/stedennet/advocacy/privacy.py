"""What advocacy holds on a person (see ``accounts.privacy``): their choice of lobby alerts and the
alerts made for them (deleted); ask versions and review decisions made by bureau members keep
their content, the account is unlinked when it goes."""

from django.utils.translation import gettext_lazy as _

from stedennet.accounts.privacy import ERASE, WITH_ACCOUNT, holding_register, not_personal, records
from stedennet.advocacy.models import Alert, AlertChoice, AskVersion, DossierItem

not_personal("advocacy.MatchRule", _("Matching rules of lobby dossiers: a rule's name and terms."))


def _by_user(model, fields, user_field="user_id", related=()):
    def export_rows(subject):
        if subject.user_id is None:
            return []
        return records(model.objects.filter(**{user_field: subject.user_id}).select_related(*related), fields)

    return export_rows


def _delete_by_user(model):
    def erase_rows(subject, by) -> int:
        if subject.user_id is None:
            return 0
        return model.objects.filter(user_id=subject.user_id).delete()[0]

    return erase_rows


holding_register(
    AlertChoice, basis=ERASE, export=_by_user(AlertChoice, ["mode"]), erase=_delete_by_user(AlertChoice),
    what=_("Your choice of lobby alerts (at once, in the digest, or none)."))
holding_register(
    Alert, basis=ERASE, export=_by_user(Alert, ["item__title", "mode", "created_at", "sent_at"], related=("item",)),
    erase=_delete_by_user(Alert),
    what=_("Alerts of parliamentary items in your dossiers, made for you."))
holding_register(
    AskVersion, basis=WITH_ACCOUNT,
    export=_by_user(AskVersion, ["dossier", "number", "created_at"], user_field="created_by_id", related=("dossier",)),
    what=_("Versions of a lobby ask you recorded: they stay; you are no longer named once your account goes."))
holding_register(
    DossierItem, basis=WITH_ACCOUNT,
    export=_by_user(DossierItem, ["dossier", "title", "status", "decided_at"], user_field="decided_by_id",
                    related=("dossier",)),
    what=_("Parliamentary items you confirmed or dismissed for a dossier: they stay; you are no longer named "
           "once your account goes."))
