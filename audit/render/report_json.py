"""The JSON report: every number of the report, typed as its JSON Schema (report_schema.py) says."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from audit import jsontypes
from audit.render.document import Report
from audit.render.sheets import evidence_records


def data(report: Report) -> dict[str, Any]:
    out: dict[str, Any] = {
        "store": {
            "name": report.store,
            "url": report.url or None,
            "segment": report.segment.lower(),
            "auditor": report.auditor or None,
        },
        "checklist": {
            "id": report.checklist_id,
            "version": report.checklist_version,
            "sha256": report.checklist_sha256,
            "title": report.checklist_title,
        },
        "date": report.date,
        "language": report.lang,
        **report.result,
        "reading": report.reading,
        "items": [_item(i) for i in report.items],
        "benchmarks": [
            {"item": i.id, "text": b.text, "source": b.source} for i, b in report.benchmarks
        ],
    }
    if report.progress:
        out["progress"] = {**report.progress.data, "trend": report.progress.trend}
    return jsontypes.plain(out)


def _item(item) -> dict[str, Any]:
    out = asdict(item)
    out["benchmarks"] = [asdict(b) for b in item.benchmarks]
    out.pop("evidence_records", None)
    out["evidence"] = evidence_records(item)  # as recorded, never a picture
    return out


def render(report: Report) -> bytes:
    return jsontypes.dumps(data(report)).encode("utf-8")
