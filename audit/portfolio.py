"""A consultant's view of every audit under a folder. Pure: no printing.

Audits are read one at a time and reduced to a small summary at once, so memory grows with
the number of stores, never with the size of the audits. A file that cannot be read is
listed with the reason and skipped.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audit import audits, scoring
from audit.checklists import Loaded
from audit.errors import CxAuditError, Problem
from audit.i18n import _
from audit.model import Audit, localize

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


@dataclass
class StoreView:
    latest: Summary
    history: list[tuple[str, float | None]]  # (date, overall) of every audit, oldest first

    @property
    def change(self) -> float | None:
        """Overall score change since the store's previous audit."""
        if len(self.history) < 2:
            return None
        before, after = self.history[-2][1], self.history[-1][1]
        return None if before is None or after is None else round(after - before, 2)


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

    def position(self, store: StoreView, category: str) -> float | None:
        """The store's category score minus the portfolio median (None where either is missing)."""
        score, median = store.latest.categories.get(category), self.medians.get(category)
        return None if score is None or median is None else round(score - median, 2)

    def to_json(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "audits_read": self.audits_read,
            "stores": [
                {
                    "store": s.latest.store,
                    "path": str(s.latest.path),
                    "date": s.latest.date,
                    "checklist": s.latest.checklist,
                    "overall": {"score": s.latest.overall, "band": s.latest.band},
                    "change": s.change,
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
            "skipped": [{"path": str(p), "reason": r} for p, r in self.skipped],
        }


def audit_files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in (".yaml", ".yml") and path.is_file():
            yield path


def summarise(path: Path, audit: Audit, loaded: Loaded) -> Summary:
    result = scoring.score(loaded.checklist, audit)
    levels = {i: r.level for i, r in result.items.items() if r.level is not None}
    return Summary(
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
    for path in audit_files(folder):
        try:
            text = audits.read_text(path)  # a regular file under the size cap, never parsed first
            if not audits.looks_like_audit(text):
                skipped.append((path, str(Problem(str(path), 1, 1, _("not a cxaudit audit file")))))
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
            summary = summarise(path, audit, loaded)
        except CxAuditError as exc:
            skipped.append((path, exc.message.splitlines()[0]))
            continue
        except Exception as exc:  # one bad file never stops the portfolio
            skipped.append((path, f"{path}: {type(exc).__name__}: {exc}"))
            continue
        read += 1
        del audit  # only the summary is kept: memory stays flat in the number of audits
        store_key = _store_key(summary.store)
        view = by_store.get(store_key)
        if view is None:
            by_store[store_key] = StoreView(summary, [(summary.date, summary.overall)])
        else:
            view.history.append((summary.date, summary.overall))
            if (summary.date, str(summary.path)) > (view.latest.date, str(view.latest.path)):
                view.latest = summary
        cl = loaded.checklist
        for item in cl.items:
            questions.setdefault(item.id, localize(item.question, lang, cl.default_language))
        for group in cl.categories:
            titles.setdefault(group.id, localize(group.title, lang, cl.default_language))
    stores = list(by_store.values())
    for view in stores:
        view.history.sort(key=lambda entry: entry[0])
    stores.sort(key=lambda s: (s.latest.overall is None, -(s.latest.overall or 0), s.latest.store))
    failing: Counter[str] = Counter()
    assessed: Counter[str] = Counter()
    for store in stores:
        failing.update(store.latest.failing)
        assessed.update(store.latest.assessed)
    common = [
        CommonGap(i, questions.get(i, ""), n, assessed[i])
        for i, n in sorted(failing.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    medians: dict[str, float | None] = {}
    for category_id in titles:
        scores = [s.latest.categories.get(category_id) for s in stores]
        present = [v for v in scores if v is not None]
        medians[category_id] = round(statistics.median(present), 2) if present else None
    return Portfolio(folder, stores, skipped, medians, titles, common, read, lang)


def _store_key(name: str) -> str:
    return " ".join(name.casefold().split())
