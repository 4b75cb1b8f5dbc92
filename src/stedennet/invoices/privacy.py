"""What invoices hold on people (see ``accounts.privacy``): invoices are between the network and
municipalities, with their invoicing addresses, and are kept for the fiscal retention period
(seven years, art. 52 AWR); the bureau member who sent one is unlinked when their account goes."""

from django.utils.translation import gettext_lazy as _

from stedennet.accounts.privacy import KEEP_LEGAL, holding_register, not_personal, records
from stedennet.invoices.models import InvoiceMailing

not_personal("invoices.BillingProfile", _("The network as seller: its invoicing address."))
not_personal("invoices.BuyerDetails", _("A municipality's invoicing details and address."))


def _mailings(subject):
    if subject.user_id is None:
        return []
    return records(InvoiceMailing.objects.filter(sent_by_id=subject.user_id).select_related("invoice"),
                   ["invoice", "sent_to", "sent_at"])


holding_register(
    InvoiceMailing, basis=KEEP_LEGAL, export=_mailings,
    what=_("Invoices you sent to municipalities: kept for the fiscal retention period; you are no longer "
           "named once your account is deleted."))
