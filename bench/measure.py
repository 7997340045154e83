"""`cxaudit measure` on large exports: 10,000, 100,000 and 1,000,000 rows.

Generates a Freshdesk-shaped ticket export (three dates a row, one of them measured in
business hours) and a Typeform-shaped survey export in a temporary folder, runs
`cxaudit measure` on each in a child process and prints the wall time and the peak
memory (max RSS). Memory should stay flat as the rows grow: the export is streamed and
durations past 100,000 values go into a fixed histogram. Asserts nothing.

    .venv/bin/python bench/measure.py [ROWS...]
"""

from __future__ import annotations

import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from _timing import ROOT

CHECKLIST = ROOT / "tests" / "data" / "measured.yaml"


def tickets(path: Path, rows: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    start = datetime(2026, 1, 1, 8, 0)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(
            "Ticket ID,Subject,Status,Priority,Source,Created time,Resolved time,"
            "Initial response time,Agent interactions,Customer interactions\n"
        )
        for n in range(rows):
            created = start + timedelta(minutes=n * 0.5)
            reply = created + timedelta(minutes=rnd.randint(1, 3000))
            resolved = reply + timedelta(minutes=rnd.randint(0, 6000))
            solved = resolved.isoformat(sep=" ") + " +0100" if n % 10 else ""
            f.write(
                f"{n},Where is my order {n}?,Closed,Low,Email,"
                f"{created.isoformat(sep=' ')} +0100,{solved},"
                f"{reply.isoformat(sep=' ')} +0100,{rnd.randint(1, 4)},{rnd.randint(1, 3)}\n"
            )


def surveys(path: Path, rows: int, seed: int = 2) -> None:
    rnd = random.Random(seed)
    start = datetime(2026, 1, 1, 8, 0)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(
            "#,How likely are you to recommend us to a friend?,How satisfied were you?,"
            "How much effort did you have to put in?,Start Date (UTC),Submit Date (UTC),"
            "Network ID\n"
        )
        for n in range(rows):
            when = (start + timedelta(seconds=n * 20)).isoformat(sep=" ")
            f.write(
                f"r{n},{rnd.randint(0, 10)},{rnd.randint(1, 5)},{rnd.randint(1, 7)},"
                f"{when},{when},{n:08x}\n"
            )


def run(folder: Path, kind: str, export: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak MB of one `cxaudit measure` in a child process."""
    audit = folder / "shop.yaml"
    cxaudit = str(Path(sys.executable).with_name("cxaudit"))
    if not audit.exists():
        shutil.copy(CHECKLIST, folder / "measured.yaml")
        subprocess.run(
            [
                cxaudit,
                "run",
                str(folder / "measured.yaml"),
                "--store",
                "Bench",
                "--out",
                str(audit),
            ],
            check=True,
            input=b"",
            stdout=subprocess.DEVNULL,
        )
    cmd = [cxaudit, "measure", str(audit), f"--{kind}", str(export), "--replace"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    # ru_maxrss of children is the largest child so far: runs go smallest first.
    return took, cpu, max(after.ru_maxrss, before.ru_maxrss) / 1024


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_000_000]
    # wall time depends on what else the machine runs; CPU time much less
    print("export    rows       MB file  wall s  CPU s  rows/CPU s  peak MB")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for kind, make in (("surveys", surveys), ("tickets", tickets)):
            for rows in sizes:
                export = folder / f"{kind}-{rows}.csv"
                make(export, rows)
                size = export.stat().st_size / 1e6
                took, cpu, peak = run(folder, kind, export)
                print(
                    f"{kind:8s}  {rows:9,d}  {size:7.1f}  {took:6.1f}  {cpu:5.1f}"
                    f"  {rows / cpu:10,.0f}  {peak:7.0f}"
                )
                export.unlink()


if __name__ == "__main__":
    main()
