"""Load check (issue 15): a 200-audit PDF batch and a 2,000-audit portfolio.

For each run: wall time, the peak memory of the largest single process (max RSS) and the
peak of the whole process tree (the CLI and its render workers, sampled every 0.1 s), and
whether every report was written. `--quick` runs 20 PDFs and 200 audits instead. Asserts
nothing (machines are noisy); prints one line per run.

    .venv/bin/python bench/load.py [--quick] [--pdfs N] [--audits N] [--jobs N]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from portfolio import generate


def tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, in MB (Linux /proc)."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as children:
                todo += [int(c) for c in children.read().split()]
        except (OSError, ValueError):
            continue
    return total / 1024


def measure(cmd: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, largest process MB, whole tree peak MB, and the last line of output."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = [0.0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss_mb(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _err = proc.communicate()
    took = time.perf_counter() - start
    sampler.join()
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    lines = out.strip().splitlines()
    return took, largest, peak[0], lines[-1] if lines else f"exit {proc.returncode}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 PDFs and 200 audits")
    parser.add_argument("--pdfs", type=int)
    parser.add_argument("--audits", type=int)
    parser.add_argument("--jobs", type=int)
    args = parser.parse_args()
    pdfs = args.pdfs if args.pdfs is not None else (20 if args.quick else 200)
    count = args.audits if args.audits is not None else (200 if args.quick else 2000)
    cxaudit = str(Path(sys.executable).with_name("cxaudit"))
    print("run                      seconds  per item  largest MB  tree MB  result")
    with tempfile.TemporaryDirectory() as tmp:
        if count > 0:
            folder = Path(tmp) / "portfolio"
            folder.mkdir()
            generate(folder, count)
            took, largest, tree, last = measure([cxaudit, "portfolio", str(folder), "-f", "json"])
            print(
                f"portfolio {count:5d} audits  {took:7.1f}  {took / count * 1000:6.1f} ms"
                f"  {largest:10.0f}  {tree:7.0f}  {last}"
            )
        if pdfs <= 0:
            return
        source = Path(tmp) / "batch"
        source.mkdir()
        generate(source, pdfs)
        audits = sorted(source.glob("store-*.yaml"))
        out = Path(tmp) / "pdf"
        out.mkdir()
        jobs = ["-j", str(args.jobs)] if args.jobs else []
        took, largest, tree, last = measure(
            [cxaudit, "report", *map(str, audits), "-o", str(out), "-f", "pdf", *jobs]
        )
        written = len(list(out.glob("*.pdf")))
        print(
            f"report {len(audits):4d} PDFs         {took:7.1f}  {took / len(audits):6.2f} s "
            f"  {largest:10.0f}  {tree:7.0f}  {last} ({written} files)"
        )


if __name__ == "__main__":
    main()
