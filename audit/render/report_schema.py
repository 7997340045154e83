"""The JSON report's shape as a JSON Schema (draft-07), written as data: `cxaudit report --schema`.

Objects allow more properties than listed, so a reader written against this schema keeps working
when a later version adds fields; the listed ones are required and typed.
"""

from __future__ import annotations

import json
from typing import Any

DRAFT = "http://json-schema.org/draft-07/schema#"


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _obj(properties: dict[str, Any], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
    }


STRING = {"type": "string"}
TEXT_OR_NULL = _nullable(STRING)
COUNT = {"type": "integer", "minimum": 0}
LEVEL = {"type": "integer", "minimum": 0, "maximum": 4}
SCORE = _nullable({"type": "number", "minimum": 0, "maximum": 100})
BAND = _nullable({"enum": ["exceeds", "meets", "partly meets", "falls short"]})
WEIGHT = {"type": "number", "minimum": 0}
IDS = {"type": "array", "items": STRING}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
EFFORT = {"enum": ["low", "medium", "high"]}
EVIDENCE_KIND = {"enum": ["observed", "test", "measured", "document", "reported"]}

GROUP = _obj({"score": SCORE, "band": BAND, "answered": COUNT, "na": COUNT, "unanswered": COUNT})
GAP = _obj(
    {
        "id": STRING,
        "impact": {"type": "number", "minimum": 0},
        "level": LEVEL,
        "weight": WEIGHT,
        "effort": EFFORT,
        "critical": {"type": "boolean"},
    }
)
ACTION = _obj(
    {
        "period": {"enum": ["30", "60", "90", "backlog"]},
        "text": STRING,
        "level": LEVEL,
        "owner": TEXT_OR_NULL,
        "due": _nullable(DATE),
        "target": _nullable({"type": "integer", "minimum": 1, "maximum": 4}),
        "status": {"enum": ["open", "doing", "done", "dropped"]},
        "kpi": TEXT_OR_NULL,
    }
)
EVIDENCE = _obj(
    {
        "kind": EVIDENCE_KIND,
        "ref": TEXT_OR_NULL,
        "sha256": _nullable({"type": "string", "pattern": "^[0-9a-fA-F]*$"}),
        "date": _nullable(DATE),
        "n": _nullable(COUNT),
        "period": TEXT_OR_NULL,
        "p90": _nullable({"type": "number"}),
        "note": TEXT_OR_NULL,
    },
    optional=("date", "n", "period", "p90", "note"),
)
BENCHMARK = _obj({"text": STRING, "source": STRING})
ITEM = _obj(
    {
        "id": STRING,
        "question": STRING,
        "category": STRING,
        "category_title": STRING,
        "strategies": IDS,
        "kind": {"enum": ["scale", "yesno", "metric"]},
        "answer": {"type": "string", "description": "As given: '3 Consistently in place', 'yes'"},
        "status": {"enum": ["answered", "na", "unanswered"]},
        "level": _nullable(LEVEL),
        "score": SCORE,
        "band": BAND,
        "weight": WEIGHT,
        "impact": _nullable({"type": "number", "minimum": 0}),
        "critical": {"type": "boolean"},
        "effort": EFFORT,
        "note": STRING,
        "recommendation": STRING,
        "guidance": STRING,
        "benchmarks": {"type": "array", "items": BENCHMARK},
        "unit": STRING,
        "value": _nullable({"type": "number"}),
        "thresholds": {"type": "array", "items": {"type": "number"}},
        "better": {"enum": ["higher", "lower"]},
        "red_flag": {"type": "boolean"},
        "evidence": {"type": "array", "items": EVIDENCE},
    },
)


def schema() -> dict[str, Any]:
    """The JSON Schema of `cxaudit report --format json`."""
    return {
        "$schema": DRAFT,
        "$id": "https://cxaudit.invalid/report.schema.json",
        "title": "cxaudit report",
        "description": "The JSON report of one audit: `cxaudit report AUDIT --format json`.",
        **_obj(
            {
                "store": _obj(
                    {
                        "name": STRING,
                        "url": TEXT_OR_NULL,
                        "segment": {"enum": ["b2c", "b2b"]},
                        "auditor": TEXT_OR_NULL,
                    }
                ),
                "checklist": _obj(
                    {
                        "id": STRING,
                        "version": STRING,
                        "sha256": STRING,
                        "title": STRING,
                    }
                ),
                "date": DATE,
                "language": STRING,
                "overall": _obj({"score": SCORE, "band": BAND}),
                "categories": {"type": "object", "additionalProperties": GROUP},
                "strategies": {"type": "object", "additionalProperties": GROUP},
                "matrix": {
                    "type": "object",
                    "description": "category id -> strategy id -> score of the items in both",
                    "additionalProperties": {"type": "object", "additionalProperties": SCORE},
                },
                "completion": _obj(
                    {"items": COUNT, "answered": COUNT, "na": COUNT, "unanswered": COUNT}
                ),
                "red_flags": IDS,
                "gaps": {"type": "array", "items": GAP},
                "polish": IDS,
                "strengths": IDS,
                "quick_wins": IDS,
                "plan": {
                    "type": "object",
                    "properties": dict.fromkeys(("30", "60", "90", "backlog"), IDS),
                    "required": ["30", "60", "90", "backlog"],
                },
                "capacity": {"type": "array", "items": COUNT, "minItems": 3, "maxItems": 3},
                "over_capacity": COUNT,
                "actions": {
                    "type": "object",
                    "description": "item id -> its action: the plan's bookkeeping",
                    "additionalProperties": ACTION,
                },
                "evidence": {
                    "type": "object",
                    "description": "how many answers rest on each kind of evidence",
                    "propertyNames": EVIDENCE_KIND,
                    "additionalProperties": COUNT,
                },
                "orphans": IDS,
                "checklist_drift": {"description": "null, or what changed in the checklist"},
                "reading": STRING,
                "items": {"type": "array", "items": ITEM},
                "benchmarks": {
                    "type": "array",
                    "items": _obj({"item": STRING, "text": STRING, "source": STRING}),
                },
                "progress": {
                    "type": "object",
                    "description": "with --baseline: this audit against the earlier one",
                    "required": ["overall", "categories", "strategies", "levels", "trend"],
                },
            },
            optional=("checklist_drift", "progress"),
        ),
    }


def schema_json() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"
