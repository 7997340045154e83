"""The demo's HTML report in a real browser: screenshots at 390 px (a phone) and 1280 px.

Uses Debian's Chromium when it is installed (`apt-get install chromium`) and skips otherwise;
a browser is never downloaded. Writes PNGs to the folder given (default ./screens) and prints,
per language and width, the page width against the screen, what sticks out, how many tables
scroll in their own box and whether the radar labels stay inside the chart.

    .venv/bin/python bench/screens.py [OUT_DIR] [--lang en,ar]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import browser  # noqa: E402  (tests/browser.py: the Chromium driver the tests use too)

WIDTHS = {390: (844, True), 1280: (900, False)}  # width: (height, mobile)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="screens", type=Path)
    parser.add_argument("--lang", default="en,ar")
    args = parser.parse_args()
    executable = browser.find()
    if executable is None:
        print("skipped: no Chromium here (apt-get install chromium)")
        return
    from typer.testing import CliRunner

    from audit.cli import app

    args.out.mkdir(parents=True, exist_ok=True)
    chromium = browser.Browser(executable)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for lang in args.lang.split(","):
                name = "demo-audit.yaml" if lang == "en" else f"demo-audit.{lang}.yaml"
                audit = Path(tmp) / name
                audit.write_bytes((ROOT / "reports" / "demo" / name).read_bytes())
                html = audit.with_suffix(".html")
                result = CliRunner().invoke(
                    app, ["report", str(audit), "-f", "html", "-o", str(html)]
                )
                assert result.exit_code == 0, result.output
                for width, (height, mobile) in WIDTHS.items():
                    page = chromium.page(width, height, mobile)
                    page.open(html)
                    found = page.evaluate(browser.LAYOUT_PROBE)
                    shot = page.screenshot(args.out / f"report-{lang}-{width}.png")
                    scrolling = [
                        t["cls"] or "table"
                        for t in found["tables"]
                        if t["box"] is not None and t["content"] > t["box"] + 1
                    ]
                    outside = [lab["text"] for lab in found["labels"] if not lab["inside"]]
                    print(
                        f"{lang:7s} {width:5d}px  page {found['scrollWidth']}px on "
                        f"{found['width']}px  sticking out: {len(found['overflowing'])}  "
                        f"tables scrolling in their own box: {', '.join(scrolling) or 'none'}  "
                        f"chart labels outside: {len(outside)}  -> {shot}"
                    )
                    for line in found["overflowing"][:8]:
                        print("        ", line)
    finally:
        chromium.close()


if __name__ == "__main__":
    main()
