"""System libraries and fonts that PDF rendering needs, checked without importing WeasyPrint.

`python -m audit.system` prints what is missing with the exact apt-get line;
`--install` runs that line where we are root on Debian (what `make demo` does).
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

FONT_DIRS = [
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".fonts",
    Path.home() / ".local/share/fonts",
]


@dataclass(frozen=True)
class Need:
    package: str
    why: str
    required: bool  # False: rendering works without it, only slower


def _has_font(*names: str) -> bool:
    for folder in FONT_DIRS:
        if folder.is_dir() and any(next(folder.rglob(name), None) for name in names):
            return True
    return False


# The faces report.css names for each script (see NOTES.md: fontconfig's fallback for
# zh-Hant is the Japanese cut, and DejaVu has no Han at all).
SCRIPT_FONTS = {
    "ar": ("fonts-noto-core", ("NotoNaskhArabic-Regular.ttf", "NotoSansArabic-Regular.ttf"), False),
    "he": ("fonts-noto-core", ("NotoSansHebrew-Regular.ttf",), False),
    "zh-Hant": ("fonts-noto-cjk", ("NotoSansCJK-Regular.ttc",), True),
}


def missing(language: str | None = None, all_languages: bool = False) -> list[Need]:
    """What PDF rendering lacks; fonts for one report language, or for all of them."""
    return missing_libraries() + missing_fonts(language, all_languages)


def missing_libraries() -> list[Need]:
    """Pango, HarfBuzz's subsetter and a sans-serif font: every PDF needs them."""
    needs = []
    if not ctypes.util.find_library("pango-1.0"):
        needs.append(Need("libpango-1.0-0", "WeasyPrint lays out text with Pango", True))
    if not ctypes.util.find_library("harfbuzz-subset"):
        needs.append(
            Need(
                "libharfbuzz-subset0",
                "without it fonts are subset in pure Python: "
                "PDFs take 2x longer, 5 s with Chinese text",
                False,
            )
        )
    if not _has_font("DejaVuSans.ttf", "NotoSans-Regular.ttf", "LiberationSans-Regular.ttf"):
        needs.append(Need("fonts-dejavu-core", "no sans-serif font to draw the report with", True))
    return needs


def missing_fonts(language: str | None = None, all_languages: bool = False) -> list[Need]:
    """The Noto faces one language's report needs (or every language's)."""
    wanted = (
        SCRIPT_FONTS if all_languages else {k: v for k, v in SCRIPT_FONTS.items() if k == language}
    )
    needs: list[Need] = []
    packages: set[str] = set()
    for lang, (package, files, required) in wanted.items():
        if package not in packages and not _has_font(*files):
            why = (
                f"{lang} text would be drawn as empty boxes"
                if required
                else f"{lang} text falls back to DejaVu Sans"
            )
            needs.append(Need(package, why, required))
            packages.add(package)
    return needs


def apt_line(needs: list[Need]) -> str:
    return "apt-get install -y " + " ".join(n.package for n in needs)


def main(argv: list[str]) -> int:
    needs = missing(all_languages=True)
    if not needs:
        print("System libraries and fonts for PDF reports: all present.")
        return 0
    for need in needs:
        print(f"missing: {need.package}: {need.why}", file=sys.stderr)
    can_install = os.geteuid() == 0 and shutil.which("apt-get")
    if "--install" in argv and can_install:
        print(f"Installing: {apt_line(needs)}", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        ok = subprocess.run(["apt-get", "update", "-qq"], env=env).returncode == 0
        ok = ok and subprocess.run(apt_line(needs).split() + ["-qq"], env=env).returncode == 0
        if ok and not missing(all_languages=True):
            return 0
    print(f"Install them with:\n  sudo {apt_line(needs)}", file=sys.stderr)
    strict = "--best-effort" not in argv or any(n.required for n in needs)
    return 1 if strict else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
