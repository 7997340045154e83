"""Every PDF is tagged (PDF/UA-1): structure tree, language, title, headings, read with pypdf."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from audit import resources

from .outputs_data import answered_mini


def structure(reader: PdfReader) -> Counter:
    """How many structure elements of each type (/H1, /P, /Table, ...) the tree holds."""
    seen: Counter = Counter()
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if "/S" in node:
                seen[str(node["/S"])] += 1
            if "/K" in node:
                stack.append(node["/K"])
    return seen


def check_tagged(path: Path, lang: str, title: str) -> Counter:
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root, "no structure tree"
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert root["/Lang"] == lang
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert reader.metadata.title == title
    return structure(reader)


def test_report_pdf_is_tagged_with_language_title_and_headings(cli, tmp_path):
    audit = answered_mini(tmp_path)
    assert cli("report", audit).exit_code == 0
    tags = check_tagged(audit.with_suffix(".pdf"), "en", "Customer expectations audit: Corner Shop")
    assert tags["/H1"] == 1 and tags["/H2"] >= 5 and tags["/H3"] >= 1
    assert tags["/Table"] >= 2 and tags["/TH"] >= 2 and tags["/P"] >= 10


def test_arabic_report_pdf_is_tagged_in_arabic(cli, tmp_path):
    source = resources.reports_dir() / "demo" / "demo-audit.ar.yaml"
    audit = tmp_path / source.name
    audit.write_bytes(source.read_bytes())
    result = cli("report", audit, "--lang", "ar")
    if result.exit_code == 2 and "fonts-noto" in result.output:
        pytest.skip("Arabic fonts are not installed")
    assert result.exit_code == 0, result.output
    reader = PdfReader(audit.with_suffix(".pdf"))
    assert check_tagged(audit.with_suffix(".pdf"), "ar", reader.metadata.title)["/H1"] == 1
    assert "هولو" in reader.metadata.title  # the store's name, in the title bar


def test_portfolio_pdf_is_tagged(cli, tmp_path):
    answered_mini(tmp_path / "clients", name="a.yaml", store="Acme")
    answered_mini(tmp_path / "clients", name="b.yaml", store="Bravo")
    out = tmp_path / "p.pdf"
    result = cli("portfolio", tmp_path / "clients", "-o", out)
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    assert check_tagged(out, "en", reader.metadata.title)["/Table"] >= 1
