"""A consultant's view of every audit under a folder. Pure: no printing.

Audits are read one at a time and reduced to a small summary at once, so memory grows with
the number of stores, never with the size of the audits. A file that cannot be read is
listed with the reason and skipped; a checklist kept in the folder is listed as a checklist.

Every store shows its completion and segment. An audit under 80% complete (answered + N/A) is
provisional: ranked after the complete ones. A store's change since its previous audit is
like for like (compare.like_for_like): on the items answered in both, with their count.
Paths in the result are relative to the folder, so no report shows where it lies on disk.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from audit.answers import audits
from audit.checklists import Loaded
from audit.errors import CxAuditError, Problem
from audit.i18n import _
from audit.judgement import compare, scoring
from audit.model import Audit, localize
from audit.yamlio import parse

# An item "fails" in a store when it is at level 0 or 1: its item score is below 50,
# the falls-short band.
FAILING_LEVEL = 1


@dataclass
class Summary:
    """What the portfolio keeps of one audit."""

    path: Path
    store: str
    date: str
    checklist: str
    overall: float | None
    band: str | None
    categories: dict[str, float | None]
    failing: list[str]
    assessed: list[str]  # answered items: the denominator for "fails in N of M stores"
    segment: str = "b2c"
    completion: scoring.Completion | None = None
    levels: dict[str, int] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)  # for the audit's segment

    @property
    def share(self) -> float:
        return self.completion.share if self.completion else 0.0

    @property
    def provisional(self) -> bool:
        return self.share < scoring.COMPLETE_ENOUGH


@dataclass
class StoreView:
    latest: Summary
    history: list[tuple[str, float | None]]  # (date, overall) of every audit, oldest first
    previous: Summary | None = None  # the audit before the latest

    def add(self, summary: Summary) -> None:
        self.history.append((summary.date, summary.overall))
        key = (summary.date, str(summary.path))
        if key > (self.latest.date, str(self.latest.path)):
            self.previous, self.latest = self.latest, summary
        elif self.previous is None or key > (self.previous.date, str(self.previous.path)):
            self.previous = summary

    @property
    def like_for_like(self) -> tuple[float | None, int]:
        """Overall change since the previous audit on the items answered in both, and their
        count (weighted as the latest audit weighs them)."""
        if self.previous is None:
            return None, 0
        before, after, n = compare.like_for_like(
            self.previous.levels, self.latest.levels, self.latest.weights
        )
        return (None if before is None or after is None else round(after - before, 2)), n

    @property
    def change(self) -> float | None:
        return self.like_for_like[0]


@dataclass(frozen=True)
class CommonGap:
    id: str
    question: str
    failing: int
    assessed: int


@dataclass
class Portfolio:
    folder: Path
    stores: list[StoreView]  # best overall score first
    skipped: list[tuple[Path, str]]
    medians: dict[str, float | None]
    category_titles: dict[str, str]
    common_gaps: list[CommonGap]
    audits_read: int = 0
    lang: str = "en"
    checklists: list[Path] = field(default_factory=list)  # checklist files in the folder

    def position(self, store: StoreView, category: str) -> float | None:
        """The store's category score minus the portfolio median (None where either is missing)."""
        score, median = store.latest.categories.get(category), self.medians.get(category)
        return None if score is None or median is None else round(score - median, 2)

    def to_json(self) -> dict[str, Any]:
        return {
            "folder": self.folder.name,
            "audits_read": self.audits_read,
            "stores": [
                {
                    "store": s.latest.store,
                    "path": s.latest.path.as_posix(),
                    "date": s.latest.date,
                    "segment": s.latest.segment,
                    "checklist": s.latest.checklist,
                    "overall": {"score": s.latest.overall, "band": s.latest.band},
                    "completion": {
                        **(asdict(s.latest.completion) if s.latest.completion else {}),
                        "percent": round(s.latest.share * 100, 1),
                    },
                    "provisional": s.latest.provisional,
                    "change": s.change,
                    "change_items": s.like_for_like[1],
                    "audits": len(s.history),
                    "history": [{"date": d, "overall": o} for d, o in s.history],
                    "categories": s.latest.categories,
                    "against_median": {c: self.position(s, c) for c in self.category_titles},
                }
                for s in self.stores
            ],
            "medians": self.medians,
            "common_gaps": [
                {"id": g.id, "question": g.question, "failing": g.failing, "assessed": g.assessed}
                for g in self.common_gaps
            ],
            "skipped": [{"path": p.as_posix(), "reason": r} for p, r in self.skipped],
            "checklists": [p.as_posix() for p in self.checklists],
        }


def audit_files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in (".yaml", ".yml") and path.is_file():
            yield path


def summarise(path: Path, audit: Audit, loaded: Loaded) -> Summary:
    result = scoring.score(loaded.checklist, audit)
    levels = {i: r.level for i, r in result.items.items() if r.level is not None}
    return Summary(
        segment=audit.store.segment,
        completion=result.completion,
        levels=levels,
        weights={i: r.weight for i, r in result.items.items() if r.level is not None},
        path=path,
        store=audit.store.name,
        date=audit.updated.date().isoformat(),
        checklist=f"{loaded.checklist.id} {loaded.checklist.version}",
        overall=result.overall.score,
        band=result.overall.band,
        categories={k: g.score for k, g in result.categories.items()},
        failing=[i for i, level in levels.items() if level <= FAILING_LEVEL],
        assessed=list(levels),
    )


def scan(folder: Path, lang: str = "en") -> Portfolio:
    checklists: dict[tuple[str, str | None], Loaded] = {}
    by_store: dict[str, StoreView] = {}
    skipped: list[tuple[Path, str]] = []
    questions: dict[str, str] = {}
    titles: dict[str, str] = {}
    read = 0
    found_checklists: list[Path] = []
    for path in audit_files(folder):
        shown = path.relative_to(folder)
        try:
            text = audits.read_text(path)  # a regular file under the size cap, never parsed first
            if not audits.looks_like_audit(text):
                if _is_checklist(text, path):
                    found_checklists.append(shown)
                else:
                    skipped.append(
                        (shown, str(Problem(str(shown), 1, 1, _("not a cxaudit audit file"))))
                    )
                continue
            audit = audits.parsed(text, path)
            key = (
                audit.checklist.id,
                str((path.parent / audit.checklist.path).resolve())
                if audit.checklist.path
                else None,
            )
            loaded = checklists.get(key) or checklists.setdefault(
                key, audits.checklist_of(audit, path)
            )
            summary = summarise(shown, audit, loaded)
        except CxAuditError as exc:
            skipped.append((shown, exc.message.splitlines()[0].replace(str(path), str(shown))))
            continue
        except Exception as exc:  # one bad file never stops the portfolio
            skipped.append((shown, f"{shown}: {type(exc).__name__}: {exc}"))
            continue
        read += 1
        del audit  # only the summary is kept: memory stays flat in the number of audits
        store_key = _store_key(summary.store)
        view = by_store.get(store_key)
        if view is None:
            by_store[store_key] = StoreView(summary, [(summary.date, summary.overall)])
        else:
            view.add(summary)
        cl = loaded.checklist
        for item in cl.items:
            questions.setdefault(item.id, localize(item.question, lang, cl.default_language))
        for group in cl.categories:
            titles.setdefault(group.id, localize(group.title, lang, cl.default_language))
    stores = list(by_store.values())
    for view in stores:
        view.history.sort(key=lambda entry: entry[0])
    # Complete audits first, best first; then the provisional ones, best first.
    stores.sort(
        key=lambda s: (
            s.latest.provisional,
            s.latest.overall is None,
            -(s.latest.overall or 0),
            s.latest.store,
        )
    )
    failing: Counter[str] = Counter()
    assessed: Counter[str] = Counter()
    for store in stores:
        failing.update(store.latest.failing)
        assessed.update(store.latest.assessed)
    # Most stores first; at equal counts, the larger share of the stores it was assessed in.
    common = [
        CommonGap(i, questions.get(i, ""), n, assessed[i])
        for i, n in sorted(
            failing.items(), key=lambda kv: (-kv[1], -kv[1] / max(assessed[kv[0]], 1), kv[0])
        )
    ]
    medians: dict[str, float | None] = {}
    for category_id in titles:
        scores = [s.latest.categories.get(category_id) for s in stores]
        present = [v for v in scores if v is not None]
        medians[category_id] = round(statistics.median(present), 2) if present else None
    return Portfolio(folder, stores, skipped, medians, titles, common, read, lang, found_checklists)


def _is_checklist(text: str, path: Path) -> bool:
    """A file that is not an audit but reads as a checklist (items, and categories or extends)."""
    doc, problems = parse(text, str(path))
    data = doc.data
    return (
        not problems
        and isinstance(data, dict)
        and "cxaudit" not in data
        and ("items" in data or "include" in data or "exclude" in data)
        and ("categories" in data or "extends" in data)
    )


def _store_key(name: str) -> str:
    return " ".join(name.casefold().split())
