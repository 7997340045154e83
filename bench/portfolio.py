"""Portfolio scale: `cxaudit portfolio` over 100, 300 and 1,000 generated audits.

Prints the wall time and the peak memory (max RSS) of each run. Memory should stay flat
as the number of audits grows: the portfolio keeps a small summary per store, never the
audits. Asserts nothing (machines are noisy).
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from _timing import ROOT

DEMO = ROOT / "reports" / "demo" / "demo-audit.yaml"


def generate(folder: Path, count: int, seed: int = 1) -> None:
    """`count` audits of count/2 stores (each audited twice), answers varied at random."""
    rnd = random.Random(seed)
    base = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    for n in range(count):
        store = n // 2
        data = dict(base)
        data["store"] = {**base["store"], "name": f"Store {store:04d}"}
        quarter = "2026-08-04" if n % 2 == 0 else "2026-11-02"
        data["updated"] = data["started"] = f"{quarter}T10:00:00+00:00"
        answers = {}
        for item_id, answer in base["answers"].items():
            answer = dict(answer)
            if "score" in answer:
                answer["score"] = rnd.randint(0, 4)
            answers[item_id] = answer
        data["answers"] = answers
        (folder / f"store-{store:04d}-{quarter}.yaml").write_text(
            yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
    (folder / "broken.yaml").write_text("cxaudit: 1\nanswers: [\n", encoding="utf-8")


def run(folder: Path, fmt: str | None) -> tuple[float, float]:
    """Wall seconds and peak MB of one `cxaudit portfolio` in a child process."""
    cxaudit = str(Path(sys.executable).with_name("cxaudit"))
    cmd = [cxaudit, "portfolio", str(folder)] + (
        ["--format", fmt, "-o", str(folder / f"p.{fmt}")] if fmt else []
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far: runs go smallest first.
    return took, max(peak, before) / 1024


def main() -> None:
    print("audits  format  seconds  audits/s  peak MB")
    for count in (100, 300, 1000):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            generate(folder, count)
            for fmt in (None, "json"):
                took, peak = run(folder, fmt)
                row = f"{count:6d}  {fmt or 'table':6s}  {took:7.2f}  {count / took:8.0f}"
                print(f"{row}  {peak:7.0f}")


if __name__ == "__main__":
    main()
