"""The kinds, steps and statuses of a membership procedure and the transitions between statuses.

    admission:    applied ──▶ approved ──▶ effective (a member)
                     │  │        │
                     │  │        └──▶ withdrawn
                     │  ├──▶ rejected
                     │  └──▶ withdrawn
    resignation:  notice given (the period's end date follows from the network's rules)

Every status after "applied" or "approved" is final. ``TRANSITIONS`` is the one table;
``services.procedure_transition`` is the only place a status changes and refuses anything else.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcedureKind(models.TextChoices):
    ADMISSION = "admission", _("Admission")
    RESIGNATION = "resignation", _("Resignation")


class StepKind(models.TextChoices):
    COLLEGE_DECISION = "college_decision", _("College decides to apply")
    BOARD_APPROVAL = "board_approval", _("Board approves")
    BOARD_REJECTION = "board_rejection", _("Board rejects")
    WITHDRAWAL = "withdrawal", _("Application withdrawn")
    EFFECTIVE = "effective", _("Membership effective")
    NOTICE = "notice", _("Notice of resignation")
    ENDED = "ended", _("Membership ends")


class ProcedureStatus(models.TextChoices):
    APPLIED = "applied", _("Applied, awaiting the board")
    APPROVED = "approved", _("Approved, not yet effective")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EFFECTIVE = "effective", _("Member")
    NOTICE_GIVEN = "notice_given", _("Notice given")


# The status a new procedure of each kind starts in.
INITIAL: dict[str, str] = {
    ProcedureKind.ADMISSION: ProcedureStatus.APPLIED,
    ProcedureKind.RESIGNATION: ProcedureStatus.NOTICE_GIVEN,
}

# status → the statuses it may move to (the only table; ``services.procedure_transition`` enforces it).
TRANSITIONS: dict[str, frozenset[str]] = {
    ProcedureStatus.APPLIED: frozenset({ProcedureStatus.APPROVED, ProcedureStatus.REJECTED,
                                        ProcedureStatus.WITHDRAWN}),
    ProcedureStatus.APPROVED: frozenset({ProcedureStatus.EFFECTIVE, ProcedureStatus.WITHDRAWN}),
    ProcedureStatus.REJECTED: frozenset(),
    ProcedureStatus.WITHDRAWN: frozenset(),
    ProcedureStatus.EFFECTIVE: frozenset(),
    ProcedureStatus.NOTICE_GIVEN: frozenset(),
}

# Statuses in which an admission is under way (one per municipality at a time).
UNDER_WAY = frozenset({ProcedureStatus.APPLIED, ProcedureStatus.APPROVED})


def allowed(status: str, new: str) -> bool:
    return new in TRANSITIONS.get(status, frozenset())


# Audit trail (Wagtail's log, shown in each procedure's history and the site history).
LOG_APPLIED = "stedennet.procedure_applied"
LOG_DECIDED = "stedennet.procedure_decided"
LOG_WITHDRAWN = "stedennet.procedure_withdrawn"
LOG_EFFECTIVE = "stedennet.procedure_effective"
LOG_NOTICE = "stedennet.procedure_notice"
LOG_MERGED = "stedennet.municipalities_merged"
