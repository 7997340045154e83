"""The report's parts as plain data. Built by document.py, worded by reading.py, read by every
format. Imports nothing of the render package, so that no two of its modules import each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from audit.render import charts


@dataclass
class Benchmark:
    text: str
    source: str
    ref: int = 0  # its number in the appendix's list of sources


@dataclass
class EvidenceView:
    """One piece of evidence as the report shows it: never a path outside the evidence folder."""

    kind: str
    label: str  # the kind in words, e.g. "test order"
    ref: str  # the link text: a URL, or the file name in the evidence folder
    url: str = ""  # a web address to link to (http/https only)
    thumbnail: str = ""  # data: URI of a PNG/JPEG thumbnail made from the evidence folder's copy
    date: str = ""
    n: int | None = None
    period: str = ""
    p90: float | None = None
    note: str = ""
    warning: str = ""  # why a file was not shown (outside the evidence folder, missing)


@dataclass
class ItemView:
    id: str
    question: str
    category: str
    category_title: str
    strategies: list[str]
    kind: str
    answer: str  # as the user gave it, e.g. "3 Consistently in place", "yes", "42 NPS points"
    status: str  # "answered", "na" or "unanswered"
    level: int | None
    score: float | None
    band: str | None
    weight: float
    impact: float | None
    critical: bool
    effort: str
    note: str
    recommendation: str
    guidance: str
    benchmarks: list[Benchmark]
    unit: str = ""
    value: float | None = None
    thresholds: list[float] = field(default_factory=list)
    better: str = "higher"
    red_flag: bool = False
    inverted: bool = False
    evidence: list[EvidenceView] = field(default_factory=list)
    # The answer's evidence as recorded (kind, ref, sha256, date, n, period, p90, note), for
    # the data formats (JSON, CSV, xlsx); read through sheets.evidence_records.
    evidence_records: list[dict[str, Any]] = field(default_factory=list)
    rank: int = 0  # its number in the gap list (1 = largest impact), 0 when not a gap
    short_question: str = ""  # cut to one line, for the compact tables


@dataclass
class GroupView:
    id: str
    title: str
    description: str
    score: float | None
    band: str | None
    answered: int
    na: int
    unanswered: int
    bar: str
    items: list[ItemView] = field(default_factory=list)


@dataclass
class HeatCell:
    score: float | None
    count: int  # answered items the cell's score rests on
    band: str | None  # the score's band, the cell's colour (None: no answered item in both)


@dataclass
class HeatRow:
    title: str
    cells: list[HeatCell]


@dataclass
class Orphan:
    id: str
    answer: str
    note: str


@dataclass
class ActionView:
    """One action of the roadmap: the gap, what to do, and its bookkeeping (blank when unset)."""

    item: ItemView
    text: str  # the recommendation for the item's level, in full (the gap card shows it)
    period: str  # "30", "60", "90" or "backlog"
    owner: str = ""
    due: str = ""
    target: int | None = None
    status: str = "open"
    kpi: str = ""
    over_capacity: bool = False
    first_step: str = ""  # its first sentence: the roadmap's line


@dataclass
class Roadmap:
    periods: dict[str, list[ActionView]]  # "30", "60", "90"
    backlog: list[ActionView]
    capacity: list[int]
    notes: list[str]  # e.g. "30 days: 7 red flags, over the capacity of 5"


@dataclass
class MatrixCell:
    impact: str  # "high", "medium", "low"
    effort: str
    gaps: list[ItemView]
    shade: str  # CSS class: "start" where high impact meets low effort, "next" beside it


@dataclass
class Headline:
    finding: str  # the auditor's own words or value
    action: str  # the first thing to do
    item: ItemView
    evidenced: str = ""  # how the finding is known, e.g. "test order"


@dataclass
class Story:
    opening: str
    headlines: list[Headline]
    strengths: list[ItemView]
    caveats: list[str]
    unverified: bool
    evidence: str  # "41 of 77 answers with evidence: 12 observed, ..."


@dataclass
class ProgressRow:
    title: str
    before: float | None
    after: float | None
    change: float | None
    bar: str = ""


@dataclass
class PlanRow:
    id: str
    question: str
    horizon: str
    before: int
    after: int | None
    status: str  # where the item stands now: closed, improved, unchanged, worse, ...
    owner: str = ""
    action: str = "open"  # the action's stored status: open, doing, done or dropped
    due: str = ""


@dataclass
class ProgressView:
    """The report's progress part: this audit against an earlier one (report --baseline)."""

    baseline_date: str
    shared: int
    added: list[str]
    removed: list[str]
    overall: ProgressRow
    categories: list[ProgressRow]
    strategies: list[ProgressRow]
    radar: charts.Radar
    plan: list[PlanRow]
    improved: int
    regressed: int
    flags_resolved: list[str]
    flags_new: list[str]
    trend: str
    data: dict[str, Any]
    common: int = 0  # items answered in both audits: the like-for-like change rests on them
    own: list[tuple[str, float | None, int]] = field(default_factory=list)  # date, score, % done
    warnings: list[str] = field(default_factory=list)
    backlog: int = 0  # the earlier plan's backlog, not listed


@dataclass
class Report:
    lang: str
    direction: str
    store: str
    url: str
    segment: str
    auditor: str
    date: str
    started: str
    checklist_id: str
    checklist_title: str
    checklist_version: str
    checklist_sha256: str
    overall: float | None
    overall_band: str | None
    gauge: str
    completion: dict[str, int]
    complete: bool
    reading: str
    categories: list[GroupView]
    strategies: list[GroupView]
    radar: charts.Radar
    heatmap: list[HeatRow]
    red_flags: list[ItemView]
    quick_wins: list[ItemView]
    gaps: list[ItemView]
    top_gaps: list[ItemView]
    strengths: list[ItemView]
    plan: dict[str, list[ItemView]]
    measures: list[ItemView]
    benchmarks: list[tuple[ItemView, Benchmark]]
    unanswered: list[ItemView]
    not_applicable: list[ItemView]
    orphans: list[Orphan]
    items: list[ItemView]
    result: dict[str, Any]
    scale: list[tuple[int, str, str]]
    progress: ProgressView | None = None
    story: Story | None = None
    roadmap: Roadmap | None = None
    matrix: list[list[MatrixCell]] = field(default_factory=list)
    polish: list[ItemView] = field(default_factory=list)
    all_strengths: list[ItemView] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    drift: list[str] = field(
        default_factory=list
    )  # what changed in the checklist, for the appendix
    evidence_summary: str = ""
    not_assessed: list[str] = field(default_factory=list)  # categories with no answered item
    perfect: bool = False  # every answered item at the top level, nothing to fix
