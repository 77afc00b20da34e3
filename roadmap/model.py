"""The road-map schema.

One schema holds the Central Asia model, a country's adapted plan, and plans of other
shapes (a UN work plan of 3 outputs x 4 quarters): stages and directions are data, not
enums. Every model forbids unknown keys, so a typo in a hand-edited file is reported
instead of silently ignored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator, model_validator

from .money import MoneyError, parse_amount
from .periods import Period

SCHEMA_VERSION = "1"

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*$", max_length=40),
]
Text = Annotated[str, StringConstraints(min_length=1)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
PeriodText = Annotated[
    str,
    BeforeValidator(lambda v: str(v) if isinstance(v, int) and not isinstance(v, bool) else v),
    StringConstraints(pattern=r"^\d{4}(-[Qq][1-4]|-(0[1-9]|1[0-2]))?$"),
    Field(description='A year "2024", a quarter "2024-Q2" or a month "2024-03".'),
]
Ref = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9A-Za-z]+([.][0-9A-Za-z]+)*$", max_length=40),
    Field(description='The number people use for it in the work plan, e.g. "1.1" or "2.2.6".'),
]
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Amount = Annotated[
    Decimal,
    Field(description='An exact amount, written as a quoted decimal string, e.g. "65541.70".'),
]


def _amount(value: Any) -> Decimal:
    try:
        return parse_amount(value)
    except MoneyError as exc:
        raise ValueError(str(exc)) from None


MAX_TEXT = 100_000  # characters in one text value: more is a paste gone wrong, and slows every view


class Strict(BaseModel):
    # defer_build: a model's validator is built when first used, so loading a plan builds
    # Roadmap's (which holds every nested schema) once instead of one per class at import.
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_max_length=MAX_TEXT, defer_build=True)


class Status(str, Enum):
    """The state of a task, coloured as programme work plans colour them."""

    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    not_needed = "not_needed"


class Origin(str, Enum):
    model = "model"
    added = "added"


class Person(Strict):
    name: Text
    country: str | None = None
    organisation: str | None = None
    role: str | None = None


class Contact(Strict):
    email: str | None = None
    subject: str | None = Field(None, description='Topic to put in proposal e-mails, e.g. "Road Map".')
    website: str | None = None


class BasedOn(Strict):
    """The model version a plan was derived from; `upgrade` starts from it."""

    id: Id
    version: Text
    hash: Annotated[str, StringConstraints(pattern=r"^sha256:[0-9a-f]{64}$")]


class AdaptedFrom(Strict):
    """The model a plan was adapted from, as its credit line names it.

    Not lineage (`based_on` is that, and `upgrade` moves it): this is the title page's
    "Adapted from ... by ..." and keeps the model's working group out of the plan's own.
    """

    title: Text
    subtitle: str | None = None
    version: str | None = None
    year: int | None = Field(None, ge=1900, le=2200, description="The year the model was published.")
    authors: list[Person] = Field(default_factory=list, description="The model's working group.")
    acknowledgements: list[str] = Field(default_factory=list)


class Country(Strict):
    code: CountryCode = Field(description="ISO 3166-1 alpha-2 code, e.g. KG.")
    name: Text


class Meta(Strict):
    id: Id
    kind: Literal["model", "plan"] = Field(
        "plan", description="A model is adapted by others and is not tracked; a plan is tracked."
    )
    title: Text
    subtitle: str | None = None
    scope: Literal["region", "country", "city"]
    region: str | None = None
    country: Country | None = None
    city: str | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")] = "en"
    version: Text
    published: dt.date | None = None
    start_year: int | None = Field(None, ge=1900, le=2200, description='The calendar year of "first year" (from meta.start when that is given).')
    horizon: int = Field(5, ge=1, le=50, description="Number of plan years (first year .. last year).")
    start: PeriodText | None = Field(
        None, description="A work plan's first period (2009-Q1, 2024-03 or 2024): its unit is the plan's granularity."
    )
    end: PeriodText | None = Field(None, description="A work plan's last period, of the same unit as meta.start.")
    currency: CurrencyCode | None = Field(None, description="ISO 4217 code of the plan's one currency, e.g. USD.")
    as_of: dt.date | None = Field(None, description="The date the plan's statuses describe.")
    authors: list[Person] = Field(default_factory=list)
    acknowledgements: list[str] = Field(default_factory=list)
    contact: Contact | None = None
    logo: str | None = Field(
        None,
        description="The plan's logo: a PNG, JPEG or SVG file, its path relative to the plan file "
        "(set with `roadmap meta PLAN --logo FILE`).",
    )
    based_on: BasedOn | None = None
    adapted_from: AdaptedFrom | None = Field(
        None, description="The model this plan was adapted from, credited on the title page."
    )

    @model_validator(mode="after")
    def _periods(self) -> Meta:
        if (self.start is None) != (self.end is None):
            raise ValueError("a plan timed in periods needs both meta.start and meta.end")
        if self.start is not None:
            first, last = Period.parse(self.start), Period.parse(self.end)
            if first.unit != last.unit:
                raise ValueError(f"meta.start ({self.start}) and meta.end ({self.end}) must be of the same unit")
            if last < first:
                raise ValueError(f"meta.end ({self.end}) is before meta.start ({self.start})")
            if self.start_year is not None and self.start_year != first.year:
                raise ValueError(f"meta.start_year ({self.start_year}) is not the year of meta.start ({self.start})")
            if "horizon" in self.model_fields_set and self.horizon != last.year - first.year + 1:
                raise ValueError(f"meta.horizon ({self.horizon}) does not match meta.start..meta.end")
            self.start_year = first.year
            self.horizon = last.year - first.year + 1
        elif self.start_year is None:
            raise ValueError('required field "start_year" is missing (the calendar year of "first year"; a work plan gives meta.start and meta.end instead)')
        return self

    @model_validator(mode="after")
    def _scope_fields(self) -> Meta:
        if self.scope in ("country", "city") and self.country is None:
            raise ValueError(f"a {self.scope} plan needs meta.country (code and name)")
        if self.scope == "city" and not self.city:
            raise ValueError("a city plan needs meta.city")
        return self


class Goal(Strict):
    id: Id
    text: Text
    reached: bool | None = Field(None, description="In a country plan: whether the goal is reached.")
    reached_on: dt.date | None = None
    evidence: str | None = None


class SuccessRule(Strict):
    """'Any N of the goals in at least M of K countries by a date.'"""

    min_goals: int = Field(ge=1)
    min_countries: int = Field(ge=1)
    of_countries: int = Field(ge=1)
    by: dt.date
    text: str | None = None
    countries: list[CountryCode] | None = Field(
        None,
        description="The countries the rule counts (ISO codes). Default: the countries of meta.region "
        "(data/regions.tsv); a plan of another country is shown but not counted.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> SuccessRule:
        if self.min_countries > self.of_countries:
            raise ValueError("min_countries cannot exceed of_countries")
        if self.countries is not None and len(self.countries) != self.of_countries:
            raise ValueError(f"countries lists {len(self.countries)} countries but of_countries is {self.of_countries}")
        return self


class Vision(Strict):
    title: str | None = None
    intro: str | None = None
    goals: list[Goal] = Field(default_factory=list)
    success_rule: SuccessRule | None = None


class Audience(Strict):
    id: Id
    name: Text
    description: str | None = None


class Stage(Strict):
    id: Id
    number: int = Field(ge=1)
    name: Text
    key_message: str | None = None
    narrative: str | None = Field(None, description="Markdown.")
    flowchart_columns: int = Field(1, ge=1, le=4, description="Columns the stage spans in the flowchart.")


class Direction(Strict):
    """A row of the plan: one of the Green Paper's directions, or a work plan's output."""

    id: Id
    number: int = Field(ge=1)
    ref: Ref | None = None
    name: Text
    outcome: str | None = Field(None, description="The outcome this output serves (work plans).")
    guiding_questions: list[str] = Field(default_factory=list)
    narrative: str | None = Field(None, description="Markdown.")
    indicators: list[Indicator] = Field(default_factory=list, description="The output's (outcome's) indicators.")


class Box(Strict):
    """The task's rectangle in the flowchart: the short name of its result."""

    text: Text
    order: int = Field(ge=1, description="Position in the direction's row, left to right.")
    column: int = Field(1, ge=1, description="Column inside the stage, for stages spanning several.")


class Measurement(Strict):
    """An indicator's actual value as measured on a date."""

    date: dt.date
    actual: int | float | str
    note: str | None = None


class Indicator(Strict):
    text: Text
    unit: str | None = None
    baseline: float | str | None = None
    target: float | str | None = None
    target_date: dt.date | None = None
    actual: float | str | None = None
    values: list[Measurement] = Field(default_factory=list, description="Actual values with their dates, oldest first.")


class Party(Strict):
    """A responsible party or implementing partner of an activity."""

    name: Text
    role: str | None = None


class BudgetLine(Strict):
    amount: Amount
    category: Text
    source: str | None = Field(None, description="The source of funds, e.g. MDG-F.")
    note: str | None = None

    _parse = field_validator("amount", mode="before")(_amount)


class Owner(Strict):
    name: Text
    organisation: str | None = None
    contact: str | None = None


class Comment(Strict):
    date: dt.date | None = None
    by: str | None = None
    text: Text


class Task(Strict):
    id: Id
    ref: Ref | None = None
    direction: Id
    stage: Id | None = Field(None, description="The stage (a plan without stages, such as a quarterly work plan, has none).")
    title: Text
    target: str | None = Field(None, description="The annual target (work plans).")
    box: Box | None = None
    year_start: int | None = Field(None, ge=1, description="Plan year (1 = meta.start_year).")
    year_end: int | None = Field(None, ge=1)
    start: PeriodText | None = Field(None, description="First period, at the plan's granularity (work plans).")
    end: PeriodText | None = Field(None, description="Last period, at the plan's granularity.")
    lead: str | None = Field(None, description="The lead agency.")
    parties: list[Party] = Field(default_factory=list, description="Responsible parties and implementing partners.")
    budget: list[BudgetLine] = Field(default_factory=list, description="Planned budget lines.")
    persons_involved: list[str] = Field(default_factory=list)
    expected_results: list[str] = Field(default_factory=list)
    success_indicators: list[Text | Indicator] = Field(default_factory=list)
    international_examples: list[str] = Field(default_factory=list)
    depends_on: list[Id] = Field(default_factory=list)
    status: Status = Status.planned
    status_date: dt.date | None = None
    status_note: str | None = None
    owner: Owner | None = None
    origin: Origin = Origin.model
    comments: list[Comment] = Field(default_factory=list)

    @model_validator(mode="after")
    def _years(self) -> Task:
        if (self.year_start is None) != (self.year_end is None):
            raise ValueError("give both year_start and year_end, or neither")
        if self.year_start is not None and self.year_end < self.year_start:  # type: ignore[operator]
            raise ValueError(f"year_end ({self.year_end}) is before year_start ({self.year_start})")
        if (self.start is None) != (self.end is None):
            raise ValueError("give both start and end, or neither")
        if self.start is not None:
            if self.year_start is not None:
                raise ValueError("a task is timed in plan years (year_start, year_end) or in periods (start, end), not both")
            first, last = Period.parse(self.start), Period.parse(self.end)
            if first.unit != last.unit:
                raise ValueError(f"start ({self.start}) and end ({self.end}) must be of the same unit")
            if last < first:
                raise ValueError(f"end ({self.end}) is before start ({self.start})")
        return self

    @property
    def timed(self) -> bool:
        return self.year_start is not None or self.start is not None


class StatedTotals(Strict):
    """Totals as the plan's own table states them; `validate` recomputes each."""

    overall: Amount | None = None
    categories: dict[str, Amount] = Field(default_factory=dict)
    directions: dict[str, Amount] = Field(default_factory=dict)
    sources: dict[str, Amount] = Field(default_factory=dict)

    _parse = field_validator("overall", mode="before")(lambda v: None if v is None else _amount(v))

    @field_validator("categories", "directions", "sources", mode="before")
    @classmethod
    def _amounts(cls, value: Any) -> Any:
        return {k: _amount(v) for k, v in value.items()} if isinstance(value, dict) else value


class Budget(Strict):
    """The plan's budget rules: its categories and sources (when listed, lines must use them)
    and the totals its table states."""

    categories: list[Text] = Field(default_factory=list)
    sources: list[Text] = Field(default_factory=list)
    stated: StatedTotals | None = None


class Section(Strict):
    """A chapter or sub-chapter of the Green Paper; `number` ('1.2') gives the nesting."""

    id: Id
    number: str | None = None
    title: Text
    body: str = Field("", description="Markdown.")


class HistoryEntry(Strict):
    """One recorded Change."""

    date: dt.date
    command: Text
    step: int | None = Field(
        None, ge=1, description="Which recorded command made it: entries with the same step were one command (`undo` reads it)."
    )
    task: str | None = None
    field: Text
    old: Any = None
    new: Any = None
    note: str | None = None
    by: str | None = None
    undoes: int | None = Field(None, ge=1, description="For `undo`: the step this entry takes back.")


class Conflict(Strict):
    """A model change that collided with the country's own edit during `upgrade`.

    The plan keeps the country's value (`ours`) and stays valid; this entry holds the
    model's (`theirs`) until someone decides. Keep yours: delete the entry. Take the
    model's: `roadmap upgrade PLAN --to MODEL --prefer theirs` (or edit the field and delete
    the entry). `validate` warns about every entry left here.
    """

    id: Id
    task: str | None = Field(None, description="The task it concerns, if any.")
    field: Text = Field(
        description='The field: relative to the task ("years", "title", "box.text"), else a path ("stages.S1.narrative").'
    )
    base: Any = Field(None, description="The value in the model version the plan was derived from.")
    ours: Any = Field(None, description="The country's value (the one the plan keeps).")
    theirs: Any = Field(None, description="The new model's value.")
    model: str | None = Field(None, description='The model version that brought it, e.g. "central-asia-model 2021.2".')
    message: str | None = None


class Roadmap(Strict):
    schema_version: Literal["1"] = SCHEMA_VERSION
    meta: Meta
    vision: Vision = Field(default_factory=Vision)
    audiences: list[Audience] = Field(default_factory=list)
    stages: list[Stage] = Field(default_factory=list, description="Columns of the flowchart; a quarterly work plan needs none.")
    directions: list[Direction] = Field(default_factory=list, description="Rows: the Green Paper's directions, a work plan's outputs.")
    tasks: list[Task] = Field(default_factory=list)
    budget: Budget | None = None
    sections: list[Section] = Field(default_factory=list)
    renamed: dict[str, str] = Field(
        default_factory=dict, description="Task ids this version renamed: old id -> new id (read by `upgrade`)."
    )
    conflicts: list[Conflict] = Field(
        default_factory=list, description="Unresolved collisions between a model upgrade and the country's edits (see Conflict)."
    )
    history: list[HistoryEntry] = Field(default_factory=list)

    def task(self, task_id: str) -> Task:
        for t in self.tasks:
            if t.id == task_id:
                return t
        raise KeyError(task_id)

    def stage(self, stage_id: str) -> Stage:
        return next(s for s in self.stages if s.id == stage_id)

    def direction(self, direction_id: str) -> Direction:
        return next(d for d in self.directions if d.id == direction_id)

    def calendar_year(self, plan_year: int) -> int:
        return self.meta.start_year + plan_year - 1

    @property
    def granularity(self) -> str:
        """year, quarter or month: the unit of meta.start (a Green Paper plan: year)."""
        return Period.parse(self.meta.start).unit if self.meta.start else "year"

    def periods(self) -> list[Period]:
        """Every period of the plan, first to last, at its granularity."""
        from .periods import span

        if self.meta.start and self.meta.end:
            return span(Period.parse(self.meta.start), Period.parse(self.meta.end))
        return [Period("year", self.calendar_year(y)) for y in range(1, self.meta.horizon + 1)]

    def timeframe(self, task: Task) -> tuple[Period, Period] | None:
        """A task's first and last period, or None when it has no timeframe."""
        if task.start is not None:
            return Period.parse(task.start), Period.parse(task.end)
        if task.year_start is not None:
            return Period("year", self.calendar_year(task.year_start)), Period("year", self.calendar_year(task.year_end))  # type: ignore[arg-type]
        return None

    def find_direction(self, key: str) -> Direction | None:
        return next((d for d in self.directions if d.id == key), None)


def json_schema() -> dict[str, Any]:
    from pydantic.json_schema import GenerateJsonSchema

    class _SchemaWithoutTextCap(GenerateJsonSchema):
        """The published schema leaves out the blanket MAX_TEXT cap (editors need not check it)."""

        def str_schema(self, schema: Any) -> Any:
            out = super().str_schema(schema)
            if out.get("maxLength") == MAX_TEXT:
                del out["maxLength"]
            return out

        def dict_schema(self, schema: Any) -> Any:
            out = super().dict_schema(schema)
            names = out.get("propertyNames")
            if isinstance(names, dict) and names.get("maxLength") == MAX_TEXT:
                del names["maxLength"]
                if not names:
                    del out["propertyNames"]
            return out

    schema = Roadmap.model_json_schema(schema_generator=_SchemaWithoutTextCap)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "roadmap plan"
    return schema
