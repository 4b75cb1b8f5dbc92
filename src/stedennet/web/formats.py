"""Dutch notation for invoices, letters and reminder mails: amounts, rates, dates, IBANs.
Decimal only; kept apart from the PDF module so that formatting does not load WeasyPrint."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

CENT = Decimal("0.01")


def _group_thousands(digits: str) -> str:
    return f"{int(digits):,}".replace(",", ".")


def money_nl(value: Decimal) -> str:
    """``Decimal("19396.23")`` → ``"€ 19.396,23"``; negative: ``"€ -9.698,12"`` (the Dutch
    convention). Rounded half-up to cents; floats are refused, they are not money."""
    if not isinstance(value, Decimal):
        raise TypeError(f"money_nl takes a Decimal, not {type(value).__name__}")
    cents = value.quantize(CENT, rounding=ROUND_HALF_UP)
    whole, fraction = f"{abs(cents):.2f}".split(".")
    sign = "-" if cents < 0 else ""
    return f"€ {sign}{_group_thousands(whole)},{fraction}"


def rate_nl(value: Decimal) -> str:
    """A rate per inhabitant with at least two and at most its own decimals: ``€ 0,21``, ``€ 0,2125``."""
    if not isinstance(value, Decimal):
        raise TypeError(f"rate_nl takes a Decimal, not {type(value).__name__}")
    text = f"{abs(value):f}"
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0").ljust(2, "0")
    sign = "-" if value < 0 else ""
    return f"€ {sign}{_group_thousands(whole)},{fraction}"


def percent_nl(value: Decimal) -> str:
    """``Decimal("21.00")`` → ``"21%"``, ``Decimal("5.50")`` → ``"5,5%"``."""
    return f"{value.normalize():f}".replace(".", ",") + "%"


def number_nl(value: int) -> str:
    """An inhabitant count: ``92363`` → ``"92.363"``."""
    return f"{value:,}".replace(",", ".")


def date_nl(value: datetime.date) -> str:
    return value.strftime("%d-%m-%Y")


def iban_nl(iban: str) -> str:
    """The IBAN as printed on paper: groups of four (``NL91 ABNA 0417 1643 00``)."""
    compact = "".join(iban.split()).upper()
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


def euro(value: Decimal | None) -> str:
    """Euros with two decimals in the active language's notation (``€ 9.698,12`` in Dutch, ``€ 9,698.12``
    in English), for pages; empty for None. ``money_nl`` is for texts frozen in Dutch (invoices)."""
    from django.template.defaultfilters import floatformat

    return "" if value is None else f"€ {floatformat(value, '2g')}"


def rate_display(rate: Decimal | None) -> str:
    """A rate per inhabitant in the active language's notation, with at least two decimals and
    no trailing zeros beyond (``€ 0,21``, ``€ 0,2125``), for pages; empty for None."""
    from django.utils import formats

    if rate is None:
        return ""
    decimals = max(2, -min(rate.normalize().as_tuple().exponent, 0))
    return f"€ {formats.number_format(rate, decimal_pos=decimals, use_l10n=True)}"


def parse_now(value: str | None) -> datetime.datetime | None:
    """An ISO 8601 time; without a zone it is taken as local time (Europe/Amsterdam)."""
    if not value:
        return None
    moment = datetime.datetime.fromisoformat(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
