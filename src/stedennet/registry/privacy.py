"""What the registry holds on people (see ``accounts.privacy``): nothing. Its names are those of
the network, provinces, municipalities and partner organisations."""

from django.utils.translation import gettext_lazy as _

from stedennet.accounts.privacy import not_personal

not_personal("registry.Network", _("The network: its name and settings."))
not_personal("registry.Province", _("Provinces: a name per province."))
not_personal("registry.Municipality", _("Municipalities: names, codes and population figures."))
not_personal("registry.PartnerOrganisation", _("Partner organisations: their names."))
