"""Report rendering speed. Prints numbers; asserts nothing (machines are noisy).

1. `cxaudit report` of the demo audit (a cold CLI run) against the floor: a cold Python
   process in which WeasyPrint alone renders the same HTML. Our overhead is the difference.
2. Reports per minute for 20 audits: serially (--jobs 1) and with the process pool.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from _timing import ROOT, median_seconds

FLOOR = """
import sys, weasyprint
html = open(sys.argv[1], encoding="utf-8").read()
weasyprint.HTML(string=html, base_url=sys.argv[2]).write_pdf(sys.argv[3])
"""


def main() -> None:
    py = sys.executable
    cxaudit = str(Path(py).with_name("cxaudit"))
    demo = ROOT / "reports" / "demo" / "demo-audit.yaml"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        audit = folder / "demo.yaml"
        shutil.copy(demo, audit)
        subprocess.run(
            [cxaudit, "report", str(audit), "-o", str(folder / "demo.html")],
            check=True,
            capture_output=True,
        )
        floor_script = folder / "floor.py"
        floor_script.write_text(FLOOR)
        base = (ROOT / "reports").as_uri() + "/"
        floor = median_seconds(
            [py, str(floor_script), str(folder / "demo.html"), base, str(folder / "floor.pdf")],
            runs=5,
        )
        ours = median_seconds([cxaudit, "report", str(audit)], runs=5)
        size = audit.with_suffix(".pdf").stat().st_size
        print(f"WeasyPrint alone, same HTML (cold process): {floor:5.2f} s")
        print(
            f"cxaudit report demo audit (cold CLI):       {ours:5.2f} s  "
            f"(overhead {100 * (ours - floor) / floor:+.0f}%, goal < 15%; PDF {size / 1024:.0f} KB)"
        )

        audits = make_audits(demo, folder / "many", 20)
        for label, jobs in (("serially (--jobs 1)", "1"), ("process pool (--jobs 2)", "2")):
            start = time.perf_counter()
            subprocess.run(
                [cxaudit, "report", *map(str, audits), "--jobs", jobs],
                check=True,
                capture_output=True,
            )
            took = time.perf_counter() - start
            print(f"20 reports {label:24s} {took:5.1f} s = {20 / took * 60:5.1f} reports/minute")


def make_audits(demo: Path, folder: Path, count: int) -> list[Path]:
    """Variations of the demo audit: the same store answering differently."""
    folder.mkdir()
    data = yaml.safe_load(demo.read_text())
    rng = random.Random(7)
    paths = []
    for n in range(count):
        copy = yaml.safe_load(yaml.safe_dump(data))
        copy["store"]["name"] = f"Store {n + 1:02d}"
        for answer in copy["answers"].values():
            if "score" in answer:
                answer["score"] = rng.randint(0, 4)
        path = folder / f"store-{n + 1:02d}.yaml"
        path.write_text(yaml.safe_dump(copy, sort_keys=False, allow_unicode=True))
        paths.append(path)
    return paths


if __name__ == "__main__":
    main()
