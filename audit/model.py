"""The checklist and audit-file models: the schema (JSON Schema is generated from them)."""

from __future__ import annotations

import re
from datetime import date as date_type
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from audit.terminal import clean

Segment = Literal["b2c", "b2b"]
SEGMENTS: tuple[Segment, ...] = ("b2c", "b2b")
Effort = Literal["low", "medium", "high"]
EFFORT_ORDER = {"low": 0, "medium": 1, "high": 2}
Stage = Literal["discover", "product", "checkout", "delivery", "after-sale", "service"]
STAGES: tuple[Stage, ...] = ("discover", "product", "checkout", "delivery", "after-sale", "service")
# What `cxaudit measure` computes from a store's exports, for the metric that names it.
Measure = Literal[
    "nps",
    "csat",
    "ces",
    "first-reply-time",
    "resolution-time",
    "first-contact-resolution",
    "on-time-delivery",
    "dispatch-time",
    "return-rate",
]
EvidenceKind = Literal["observed", "test", "measured", "document", "reported"]
EVIDENCE_KINDS: tuple[EvidenceKind, ...] = ("observed", "test", "measured", "document", "reported")
ActionStatus = Literal["open", "doing", "done", "dropped"]
ACTION_STATUSES: tuple[ActionStatus, ...] = ("open", "doing", "done", "dropped")
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
ONE_OR_MANY = ("strategy", "benchmark")  # Item fields that take one value or a list
LANG_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# Caps on text at input: a 10 MB note made an 83 s, 1.1 GB PDF.
TEXT_MAX = 10_000  # any text field, in a checklist or an audit
NOTE_MAX = 2_000  # an answer's note: a finding in a sentence or two, not a document


# --- multilingual text -------------------------------------------------------


def _check_text(value: Any) -> str | dict[str, str]:
    if isinstance(value, str):
        return clean(_capped(value))
    if isinstance(value, dict) and value:
        bad = [k for k in value if not isinstance(k, str) or not LANG_PATTERN.match(k)]
        if bad:
            raise ValueError(f"'{bad[0]}' is not a language code (use en, ar, he, zh-Hant, ...)")
        for lang, text in value.items():
            if not isinstance(text, str):
                raise ValueError(f"the '{lang}' text must be a string")
            value[lang] = clean(_capped(text))
        return value
    raise ValueError("must be a text, or a mapping of language code to text ({en: ..., ar: ...})")


Text = Annotated[
    str | dict[str, str],
    PlainValidator(_check_text),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string"},
                {"type": "object", "additionalProperties": {"type": "string"}, "minProperties": 1},
            ],
            "description": "A text, or a mapping of language code to text.",
        }
    ),
]


def localize(text: str | dict[str, str] | None, lang: str, default: str) -> str:
    """The text in `lang`, else in the checklist's default language, else any."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return text.get(lang) or text.get(default) or next(iter(text.values()))


# --- weights -------------------------------------------------------------------


class SegmentWeights(BaseModel):
    model_config = ConfigDict(extra="forbid")
    b2c: int | float  # int first: a whole weight stays 4, not 4.0, in every output
    b2b: int | float


def _check_weight(value: Any) -> float | SegmentWeights:
    if isinstance(value, dict):
        unknown = sorted(set(value) - set(SEGMENTS))
        missing = [s for s in SEGMENTS if s not in value]
        if unknown or missing:
            raise ValueError("per-segment weights need exactly b2c and b2b, e.g. {b2c: 3, b2b: 4}")
        return SegmentWeights(b2c=_weight_number(value["b2c"]), b2b=_weight_number(value["b2b"]))
    return _weight_number(value)


def _weight_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be a number from 1 to 5 or {{b2c: n, b2b: n}} (got {value!r})")
    if not 1 <= value <= 5:
        raise ValueError(f"must be between 1 and 5 (got {value:g})")
    return value


_WEIGHT_NUMBER = {"type": "number", "minimum": 1, "maximum": 5}
Weight = Annotated[
    float | SegmentWeights,
    PlainValidator(_check_weight),
    WithJsonSchema(
        {
            "anyOf": [
                _WEIGHT_NUMBER,
                {
                    "type": "object",
                    "properties": {"b2c": _WEIGHT_NUMBER, "b2b": _WEIGHT_NUMBER},
                    "required": ["b2c", "b2b"],
                    "additionalProperties": False,
                },
            ],
            "description": "Importance 1..5, or per segment {b2c: 3, b2b: 4}.",
        }
    ),
]


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str | dict) else value


# --- the checklist ---------------------------------------------------------------


def _capped(text: str) -> str:
    if len(text) > TEXT_MAX:
        raise ValueError(f"text longer than {TEXT_MAX:,} characters (got {len(text):,})")
    return text


def _item_id(value: str) -> str:
    if len(value) > 64 or not re.match(ID_PATTERN, value):
        raise ValueError("not an item id (letters, digits, '.', '_' and '-', at most 64)")
    return value


# An answer's or action's key in an audit file: an id, never markup or a heading.
ItemId = Annotated[str, AfterValidator(_item_id)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Recorded(Strict):
    """A part of an audit file: every text in it is capped and free of control characters."""

    model_config = ConfigDict(str_max_length=TEXT_MAX)

    @model_validator(mode="before")
    @classmethod
    def _no_controls(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: clean(v) if isinstance(v, str) else v for k, v in data.items()}
        return data


class Level(Strict):
    value: int = Field(ge=0, le=4)
    label: Text
    description: Text = ""


DEFAULT_SCALE = [
    Level(value=0, label="Not in place", description="Nothing is done about this yet."),
    Level(value=1, label="Ad hoc", description="Happens sometimes, depending on who is on duty."),
    Level(
        value=2,
        label="Partly in place",
        description="In place for some products, channels or cases.",
    ),
    Level(
        value=3, label="Consistently in place", description="Done every time, by a known process."
    ),
    Level(
        value=4,
        label="Exceeds expectations",
        description="Done every time and better than customers expect; measured and improved.",
    ),
]


class Group(Strict):
    """A category (expectation type) or a strategy."""

    id: str = Field(pattern=ID_PATTERN)
    title: Text
    description: Text = ""


class Benchmark(Strict):
    text: Text
    source: Text
    segments: list[Segment] | None = None


class Item(Strict):
    id: str = Field(pattern=ID_PATTERN)
    category: str
    # "One or a list" fields: the schema export widens them (checklists.schema).
    strategy: Annotated[list[str], BeforeValidator(_as_list)] = Field(min_length=1)
    type: Literal["scale", "yesno", "metric"] = "scale"
    question: Text
    guidance: Text = ""
    weight: Weight = 3
    critical: bool = False
    effort: Effort = "medium"
    recommendation: Text
    recommendation_by_level: dict[Literal[0, 1, 2, 3], Text] = Field(default_factory=dict)
    benchmark: Annotated[list[Benchmark], BeforeValidator(_as_list)] = Field(default_factory=list)
    segments: list[Segment] | None = Field(default=None, min_length=1)
    inverted: bool = False
    unit: Text | None = None
    thresholds: list[float] | None = Field(default=None, min_length=4, max_length=4)
    better: Literal["higher", "lower"] = "higher"
    range: list[float] | None = Field(default=None, min_length=2, max_length=2)
    measure: Measure | None = None
    stage: Stage | None = None

    @model_validator(mode="after")
    def _type_fields_fit(self) -> Item:
        if self.type == "metric":
            if self.thresholds is None or self.unit is None:
                raise ValueError("a metric item needs `unit` and four `thresholds`")
            pairs = list(zip(self.thresholds, self.thresholds[1:], strict=False))
            if self.better == "higher" and any(a > b for a, b in pairs):
                raise ValueError(
                    "thresholds must rise (least value for levels 1..4); for a measure where"
                    " less is better (hours, effort) add `better: lower` and list them falling"
                )
            if self.better == "lower" and any(a < b for a, b in pairs):
                raise ValueError(
                    "with `better: lower` thresholds must fall (greatest value for levels 1..4)"
                )
            if self.range is not None and self.range[0] > self.range[1]:
                raise ValueError("`range` is [least, greatest]: the first number must be smaller")
        elif any(v is not None for v in (self.thresholds, self.unit, self.range, self.measure)):
            raise ValueError(
                "`unit`, `thresholds`, `range` and `measure` belong to metric items"
                " (add `type: metric`)"
            )
        if self.inverted and self.type != "yesno":
            raise ValueError("`inverted` belongs to yes/no items (add `type: yesno`)")
        return self

    def recommendation_for(self, level: int | None) -> str | dict[str, str]:
        """The advice for a gap at `level`: its own text where the checklist gives one."""
        if level is not None and level in self.recommendation_by_level:
            return self.recommendation_by_level[level]  # type: ignore[index]
        return self.recommendation

    def weight_for(self, segment: str) -> float:
        if isinstance(self.weight, SegmentWeights):
            return getattr(self.weight, segment)
        return self.weight

    def applies_to(self, segment: str) -> bool:
        return self.segments is None or segment in self.segments

    def level_of(self, answer: Answer) -> int | None:
        """The answer as a level 0..4; None for N/A or no answer."""
        if answer.na:
            return None
        if self.type == "yesno" and answer.answer is not None:
            yes = answer.answer == "yes"
            return 0 if yes == self.inverted else 4
        if self.type == "metric" and answer.value is not None and self.thresholds:
            if self.better == "lower":
                return sum(answer.value <= t for t in self.thresholds)
            return sum(answer.value >= t for t in self.thresholds)
        if self.type == "scale" and answer.score is not None:
            return answer.score
        return None


class Checklist(Strict):
    schema_: str | None = Field(default=None, alias="$schema", exclude=True)
    # Building on another checklist: checklists/inheritance.py merges these away before
    # validation.
    extends: str | None = Field(default=None, exclude=True)
    include: list[str] | None = Field(default=None, exclude=True)
    exclude_: list[str] | None = Field(default=None, alias="exclude", exclude=True)
    id: str = Field(pattern=ID_PATTERN)
    version: str = Field(pattern=r"^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$")
    title: Text
    description: Text = ""
    languages: list[str] = Field(default_factory=lambda: ["en"], min_length=1)
    scale: list[Level] = Field(default_factory=lambda: list(DEFAULT_SCALE), min_length=2)
    categories: list[Group] = Field(min_length=1)
    strategies: list[Group] = Field(min_length=1)
    items: list[Item] = Field(min_length=1)

    @model_validator(mode="after")
    def _no_choice_without_base(self) -> Checklist:
        if self.include is not None or self.exclude_ is not None:
            raise ValueError("`include` and `exclude` choose items of a base: add `extends`")
        return self

    @field_validator("languages")
    @classmethod
    def _languages_are_codes(cls, value: list[str]) -> list[str]:
        bad = [code for code in value if not LANG_PATTERN.match(code)]
        if bad:
            raise ValueError(f"'{bad[0]}' is not a language code (use en, ar, he, zh-Hant, ...)")
        return value

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def item(self, item_id: str) -> Item | None:
        return self._items_by_id().get(item_id)

    def _items_by_id(self) -> dict[str, Item]:
        cached = self.__dict__.get("_by_id")
        if cached is None:
            cached = {item.id: item for item in self.items}
            self.__dict__["_by_id"] = cached
        return cached

    def items_for(self, segment: str) -> list[Item]:
        """The items a store of `segment` is asked, grouped by category in category order."""
        order = {c.id: n for n, c in enumerate(self.categories)}
        applicable = [item for item in self.items if item.applies_to(segment)]
        return sorted(applicable, key=lambda item: order.get(item.category, len(order)))


# --- the audit file ----------------------------------------------------------------


def _yes_no(value: Any) -> Any:
    # A hand-edited `answer: no` is read by YAML 1.1 as false: take it as meant.
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


class Evidence(Recorded):
    """What an answer rests on. A file is a copy in `<audit stem>.evidence/`; a URL is text."""

    kind: EvidenceKind = "reported"
    ref: str | None = None
    sha256: str | None = None
    date: date_type | None = None
    n: int | None = None  # sample size, for measured evidence
    period: str | None = None  # FROM..TO the sample covers
    p90: float | None = Field(default=None, allow_inf_nan=False)  # 90th percentile, durations
    margin: float | None = Field(default=None, allow_inf_nan=False)  # 95% margin of error
    note: str | None = None

    def to_yaml(self) -> dict[str, Any]:
        out = self.model_dump(exclude_none=True)
        if self.date is not None:
            out["date"] = self.date.isoformat()
        return out


class Answer(Recorded):
    score: int | None = Field(default=None, ge=0, le=4)
    na: bool = False
    answer: Annotated[Literal["yes", "no"] | None, BeforeValidator(_yes_no)] = None
    value: float | None = Field(default=None, allow_inf_nan=False)
    given: str | None = None  # a metric answer as typed (`2 days`), before conversion
    note: str | None = Field(default=None, max_length=NOTE_MAX)
    evidence: list[Evidence] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_kind(self) -> Answer:
        given = [k for k in ("score", "answer", "value") if getattr(self, k) is not None]
        if self.na:
            given.append("na")
        if len(given) > 1:
            raise ValueError(
                f"an answer has one of score, answer, value or na (got {', '.join(given)})"
            )
        return self

    def to_yaml(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.na:
            out["na"] = True
        for key in ("score", "answer", "value"):
            if getattr(self, key) is not None:
                value = getattr(self, key)
                out[key] = int(value) if key == "value" and float(value).is_integer() else value
        if self.given:
            out["given"] = self.given
        if self.note:
            out["note"] = self.note
        if self.evidence:
            out["evidence"] = [e.to_yaml() for e in self.evidence]
        return out


class ChecklistRef(Recorded):
    id: str
    version: str
    sha256: str | None = None
    path: str | None = None


class Store(Recorded):
    name: str = Field(min_length=1)
    url: str | None = None
    segment: Segment = "b2c"
    auditor: str | None = None
    language: str | None = None


class Action(Recorded):
    """The bookkeeping of one action of the plan, edited with `cxaudit plan`."""

    owner: str | None = None
    due: date_type | None = None
    target: int | None = Field(default=None, ge=1, le=4)
    status: ActionStatus = "open"
    kpi: str | None = None

    def to_yaml(self) -> dict[str, Any]:
        out = self.model_dump(exclude_none=True)
        if self.due is not None:
            out["due"] = self.due.isoformat()
        return out


class PlanSettings(Recorded):
    capacity: list[int] = Field(default_factory=lambda: [5, 5, 5], min_length=3, max_length=3)

    @field_validator("capacity")
    @classmethod
    def _not_negative(cls, value: list[int]) -> list[int]:
        if any(n < 0 for n in value):
            raise ValueError("capacity is three whole numbers of 0 or more, e.g. [5, 5, 5]")
        return value


class Audit(Recorded):
    cxaudit: Literal[1]
    checklist: ChecklistRef
    store: Store
    started: datetime
    updated: datetime
    answers: dict[ItemId, Answer] = Field(default_factory=dict)
    actions: dict[ItemId, Action] = Field(default_factory=dict)
    plan: PlanSettings | None = None

    def to_yaml(self) -> dict[str, Any]:
        return {
            "cxaudit": self.cxaudit,
            "checklist": self.checklist.model_dump(exclude_none=True),
            "store": self.store.model_dump(exclude_none=True),
            "started": self.started.isoformat(timespec="seconds"),
            "updated": self.updated.isoformat(timespec="seconds"),
            "answers": {item_id: a.to_yaml() for item_id, a in self.answers.items()},
            **(
                {"actions": {k: a.to_yaml() for k, a in self.actions.items()}}
                if self.actions
                else {}
            ),
            **({"plan": self.plan.model_dump()} if self.plan else {}),
        }
