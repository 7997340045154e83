"""How fast cxaudit starts and answers: `--help` against a hello-world Typer app, and a
scripted 70-answer `run`. Prints numbers; asserts nothing (machines are noisy)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _timing import median_seconds

HELLO = """
import typer
app = typer.Typer()
@app.command()
def hello(name: str = "world") -> None:
    print(f"hello {name}")
app()
"""


def main() -> None:
    py = sys.executable
    cxaudit = str(Path(py).with_name("cxaudit"))
    with tempfile.TemporaryDirectory() as tmp:
        hello = Path(tmp) / "hello.py"
        hello.write_text(HELLO)
        floor = median_seconds([py, str(hello), "--help"], runs=11)
        ours = median_seconds([cxaudit, "--help"], runs=11)
        print(f"hello-world Typer --help: {floor * 1000:6.0f} ms")
        print(
            f"cxaudit --help:           {ours * 1000:6.0f} ms  ({ours / floor:.2f}x, goal <= 1.5x)"
        )

        from audit import checklists

        items = checklists.load("ecommerce").checklist.items_for("b2c")[:70]
        answers = "".join(
            ("n" if i.type == "yesno" else str(n % 5)) + " bench note\n"
            for n, i in enumerate(items)
        )
        audit = Path(tmp) / "a.yaml"

        def scripted_run() -> None:
            audit.unlink(missing_ok=True)
            import subprocess

            done = subprocess.run(
                [cxaudit, "run", "ecommerce", "--store", "Bench", "--out", str(audit)],
                input=answers,
                text=True,
                capture_output=True,
            )
            assert done.returncode == 0, done.stderr
            assert audit.read_text().count("bench note") == 70

        import statistics
        import time

        times = []
        for _ in range(5):
            start = time.perf_counter()
            scripted_run()
            times.append(time.perf_counter() - start)
        run_time = statistics.median(times)
        print(
            f"cxaudit run, 70 piped answers (70 atomic saves): {run_time * 1000:6.0f} ms "
            f"({run_time / 70 * 1000:.1f} ms per answer)"
        )


if __name__ == "__main__":
    main()
