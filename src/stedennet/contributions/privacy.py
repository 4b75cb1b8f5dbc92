"""What contributions hold on people (see ``accounts.privacy``): nothing; rules and index series
are the network's."""

from django.utils.translation import gettext_lazy as _

from stedennet.accounts.privacy import not_personal

not_personal("contributions.IndexSeries", _("Price index series: the name of a series."))
