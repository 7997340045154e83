"""An answered copy of the mini checklist, written as a file: the outputs tests start from it."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

DATA = Path(__file__).parent / "data"

ANSWERS = """\
  A1: {score: 0, note: no stock data anywhere}
  A2: {score: 3, note: "Tea & Co's FAQ (https://shop.example/faq) and <https://shop.example/returns>"}
  B1: {answer: "yes", note: slow on weekends}
  B2: {value: -12, note: "=HYPERLINK(\\"https://evil.example\\",\\"click\\")"}
  B3: {value: 30, evidence: [{kind: measured, ref: tickets.csv, sha256: "ab12", n: 40}]}
"""


def answered_mini(
    folder: Path,
    answers: str = ANSWERS,
    *,
    store: str = "Corner Shop",
    segment: str = "b2b",
    language: str = "en",
    name: str = "shop.yaml",
) -> Path:
    """Write mini.yaml and an audit of it into `folder`; return the audit's path."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "mini.yaml", folder / "mini.yaml")
    audit = folder / name
    header = textwrap.dedent(
        f"""\
        cxaudit: 1
        checklist: {{id: mini, version: 1.2.0, path: mini.yaml}}
        store: {{name: "{store}", segment: {segment}, auditor: Dana Levi, language: {language}}}
        started: 2026-11-20T10:00:00+00:00
        updated: 2026-11-23T10:42:00+00:00
        answers:
        """
    )
    audit.write_text(header + answers, encoding="utf-8")
    return audit
