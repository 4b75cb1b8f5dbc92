"""Names the Tweede Kamer's open data uses, and the few limits of the mirror.

Value lists of the data (Soort, Status, Kabinetsappreciatie, …) are deliberately *not* here as
choices: the Kamer adds values (``"Ontijdig"``) without notice, so they are stored as free text.
The lists below are what the mirror's own logic needs to recognise, compared case-insensitively.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

TK_NAMESPACE = "http://www.tweedekamer.nl/xsd/tkData/v1-0"
ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
DEFAULT_FEED_URL = "https://gegevensmagazijn.tweedekamer.nl/SyncFeed/2.0/Feed"


class Category(models.TextChoices):
    """The SyncFeed categories the mirror follows, in the order a full sync takes them: the
    entities others refer to first (people, parties, committees, dossiers), so that most
    references resolve at once; order is not required (references are plain GUIDs)."""

    PERSOON = "Persoon", _("Person")
    FRACTIE = "Fractie", _("Parliamentary party")
    COMMISSIE = "Commissie", _("Committee")
    KAMERSTUKDOSSIER = "Kamerstukdossier", _("Parliamentary dossier")
    ACTIVITEIT = "Activiteit", _("Activity")
    AGENDAPUNT = "Agendapunt", _("Agenda item")
    ZAAK = "Zaak", _("Case")
    ZAAKACTOR = "ZaakActor", _("Case actor")
    DOCUMENT = "Document", _("Document")
    DOCUMENTACTOR = "DocumentActor", _("Document actor")
    BESLUIT = "Besluit", _("Decision")
    STEMMING = "Stemming", _("Vote")
    TOEZEGGING = "Toezegging", _("Commitment")


CATEGORIES: tuple[str, ...] = tuple(Category.values)


def entity_element(category: str) -> str:
    """The local name of the entity element in an entry's content: ``Zaak`` → ``zaak``,
    ``ZaakActor`` → ``zaakActor``."""
    return category[0].lower() + category[1:]


class FailureKind(models.TextChoices):
    """Why a page could not be applied. The first four are retried with back-off within a run."""

    HTTP = "http", _("HTTP error")
    TIMEOUT = "timeout", _("Timeout")
    NETWORK = "network", _("Network error")
    ERROR_BODY = "error-body", _("Error message from the feed")
    MALFORMED = "malformed", _("Malformed page")
    TOO_LARGE = "too-large", _("Page too large")


TRANSIENT_FAILURES = frozenset({FailureKind.HTTP, FailureKind.TIMEOUT, FailureKind.NETWORK, FailureKind.ERROR_BODY})

# ZaakActor.relatie of the people who submitted a motion or amendment.
SUBMITTER_RELATIONS = ("indiener", "medeindiener")
# Stemming.soort, normalised (lower case) to the three kinds a vote table shows.
VOTE_FOR, VOTE_AGAINST, VOTE_ABSENT = "voor", "tegen", "niet deelgenomen"
# Toezegging.status values that end a commitment; any other value (also a new one) is still open.
COMMITMENT_CLOSED = frozenset({"voldaan", "afgedaan", "vervallen"})
# Zaak.soort of a motion.
MOTION_KIND = "motie"

# Enclosures fetched on request: content types taken, with the extension the file gets.
FILE_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "text/plain": "txt",
    "text/csv": "csv",
}
