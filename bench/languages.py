"""The demo report in each language: cold `cxaudit demo --lang` time, pages and PDF size.

Chinese embeds two subset Noto Sans CJK faces, Arabic and Hebrew their Noto faces: this
shows what that costs. Asserts nothing (machines are noisy).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _timing import median_seconds
from pypdf import PdfReader


def main() -> None:
    cxaudit = str(Path(sys.executable).with_name("cxaudit"))
    print("language  seconds  pages  PDF KB")
    for lang in ("en", "ar", "he", "zh-Hant"):
        with tempfile.TemporaryDirectory() as tmp:
            took = median_seconds([cxaudit, "demo", "--lang", lang, "--out-dir", tmp], runs=3)
            pdf = next(Path(tmp).glob("demo-audit*.pdf"))
            pages = len(PdfReader(pdf).pages)
            print(f"{lang:8s}  {took:7.2f}  {pages:5d}  {pdf.stat().st_size / 1024:6.0f}")


if __name__ == "__main__":
    main()
