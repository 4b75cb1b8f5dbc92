"""What the audit trail holds on people (see ``accounts.privacy``): events of the tracked models,
with ids (the person, the account) and the tracked fields, never a person's name or address (the
person's events leave them out). The trail is append-only and kept as it is: after an erasure its
ids point to an anonymised person or to an account that no longer exists."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from stedennet.accounts.privacy import KEEP_LEGAL, holding_register

for model in apps.get_app_config("audit").get_models():
    holding_register(model, basis=KEEP_LEGAL,
                     what=_("The audit trail: who changed what and when, as ids; append-only, without names."))
