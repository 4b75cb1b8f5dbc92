"""What the API returns: pydantic models with snake_case attributes and lowerCamel names on the
wire (``alias_generator``; operations dump ``by_alias``). Names of dates end in ``Date`` or ``On``
and are ``format: date``; moments end in ``At`` and are ``date-time`` with a time zone, as the
NL API Design Rules ask."""

import datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field
from pydantic.alias_generators import to_camel

PopulationSourceCode = Literal["cbs_final", "cbs_provisional", "municipal"]
BodyKindCode = Literal["board", "support", "pillar", "pillar_meeting", "theme_group"]
TrackCode = Literal["administrative", "civil_service", ""]
RoleCode = Literal["chair", "vice_chair", "lead", "member", "secretary"]
VisibilityCode = Literal["public", "members", "members_partners", "body"]
ActionStatusCode = Literal["planned", "ongoing", "done", "dropped"]
EventKindCode = Literal["knowledge_day", "network_day", "conference", "other"]
EventStatusCode = Literal["published", "cancelled", "draft"]


class ApiSchema(Schema):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class Province(ApiSchema):
    code: str = Field(examples=["PV27"])
    name: str


class MunicipalityRef(ApiSchema):
    cbs_code: str = Field(examples=["GM0362"], description="CBS code, GM and four digits.")
    name: str


class Population(ApiSchema):
    """The latest population figure known today: the newest reference date; of several sources
    on that date CBS's final figure, then its provisional one, then the municipality's own count."""

    inhabitants: int
    reference_date: datetime.date
    source: PopulationSourceCode


class Municipality(ApiSchema):
    cbs_code: str = Field(examples=["GM0362"])
    name: str = Field(description="The name in common use.")
    official_name: str = Field(description="The name as CBS writes it.")
    slug: str
    province: Province
    population: Population | None


class PopulationFigure(ApiSchema):
    reference_date: datetime.date
    inhabitants: int
    source: PopulationSourceCode
    source_note: str
    source_url: str
    recorded_at: datetime.datetime


class MembershipPeriod(ApiSchema):
    start_date: datetime.date | None = Field(description="Empty: since before our records.")
    end_date: datetime.date | None = Field(description="The last day; empty while it lasts.")
    note: str
    source: str


class Member(ApiSchema):
    municipality: MunicipalityRef
    province: Province
    member_since_date: datetime.date | None = Field(
        description="Start of the membership in force on the day asked; empty: since before our records.")
    member_until_date: datetime.date | None = Field(description="Its last day, if it is to end.")
    population: Population | None


class MemberDetail(Member):
    periods: list[MembershipPeriod]
    population_figures: list[PopulationFigure] = Field(description="Every current figure, newest first.")


class BodyRef(ApiSchema):
    slug: str
    name: str


class Body(ApiSchema):
    slug: str
    name: str
    short_name: str
    kind: BodyKindCode
    track: TrackCode
    pillar: BodyRef | None
    is_open: bool = Field(description="Theme groups: open to join without approval.")
    archived_on: datetime.date | None
    is_demo: bool


class PersonRef(ApiSchema):
    name: str | None = Field(description="Empty for a person the network erased.")
    function: str


class Position(ApiSchema):
    body: BodyRef
    role: RoleCode
    person: PersonRef
    on_behalf_of: MunicipalityRef | None
    start_date: datetime.date
    end_date: datetime.date | None


class AgendaItem(ApiSchema):
    number: int
    title: str


class Decision(ApiSchema):
    reference: str = Field(examples=["AB 2026-04-14/3"])
    number: int
    text: str
    agenda_item: AgendaItem


class Meeting(ApiSchema):
    id: int
    body: BodyRef
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    location: str
    cancelled: bool
    minutes_approved_on: datetime.date | None


class MeetingDetail(Meeting):
    agenda: list[AgendaItem]
    decisions: list[Decision]


class Goal(ApiSchema):
    number: int
    text: str


class Action(ApiSchema):
    id: int
    title: str
    description: str
    status: ActionStatusCode
    goal_number: int | None
    owner: BodyRef | None
    is_public: bool
    latest_update_date: datetime.date | None
    latest_update: str | None


class WorkProgramme(ApiSchema):
    id: int
    pillar: BodyRef
    title: str
    period_start_date: datetime.date
    period_end_date: datetime.date
    introduction: str
    is_public: bool
    goals: list[Goal]
    actions: list[Action]


class Topic(ApiSchema):
    slug: str
    name: str


class LibraryItem(ApiSchema):
    id: int
    title: str
    summary: str
    visibility: VisibilityCode
    municipality: MunicipalityRef | None
    pillar: BodyRef | None
    theme_group: BodyRef | None
    group: BodyRef | None = Field(description="For visibility 'body': the body it is shared with.")
    topics: list[Topic]
    created_at: datetime.datetime
    updated_at: datetime.datetime


class Event(ApiSchema):
    slug: str
    title: str
    kind: EventKindCode
    status: EventStatusCode
    summary: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    venue: str
    address: str
    audience: VisibilityCode
    body: BodyRef | None
    capacity: int | None
    registration_required: bool
    registration_closes_at: datetime.datetime | None


class Page(ApiSchema):
    count: int = Field(description="Results on all pages together.")
    page: int
    page_size: int
    page_count: int


def page_of(item: type[ApiSchema], name: str) -> type[Page]:
    """A list response of ``item`` (a named class: the document's schema names stay PascalCase)."""
    return type(name, (Page,), {"__annotations__": {"results": list[item]}, "__module__": __name__,
                                "__doc__": f"One page of {item.__name__} results."})


MunicipalityPage = page_of(Municipality, "MunicipalityPage")
PopulationFigurePage = page_of(PopulationFigure, "PopulationFigurePage")
MemberPage = page_of(Member, "MemberPage")
BodyPage = page_of(Body, "BodyPage")
PositionPage = page_of(Position, "PositionPage")
MeetingPage = page_of(Meeting, "MeetingPage")
DecisionPage = page_of(Decision, "DecisionPage")
WorkProgrammePage = page_of(WorkProgramme, "WorkProgrammePage")
LibraryItemPage = page_of(LibraryItem, "LibraryItemPage")
EventPage = page_of(Event, "EventPage")
