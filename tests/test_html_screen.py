"""The HTML report on a phone and on a desktop, in Debian's Chromium where it is installed.

The browser emulates a 390 px phone (mobile viewport: the page's <meta name="viewport"> counts)
and a 1280 px desktop, then measures the page: nothing may stick out of the screen, a table
too wide for it scrolls in its own box, chart labels stay on the screen.
"""

from __future__ import annotations

import re
import struct

import browser
import pytest

from audit import resources

from .outputs_data import answered_mini


def html_report(cli, folder, lang="en"):
    if lang == "en":
        audit = answered_mini(folder)
    else:
        audit = folder / f"demo-audit.{lang}.yaml"
        audit.write_bytes((resources.reports_dir() / "demo" / audit.name).read_bytes())
    result = cli("report", audit, "-f", "html", "--lang", lang)
    assert result.exit_code == 0, result.output
    return audit.with_suffix(".html")


def test_html_has_a_viewport_and_its_own_inline_screen_stylesheet(cli, tmp_path):
    text = html_report(cli, tmp_path).read_text(encoding="utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
    screen = re.search(r'<style media="screen">(.*?)</style>', text, re.S)
    assert screen and "@media (max-width: 720px)" in screen.group(1)
    assert "<link" not in text and "@import" not in text  # still self-contained


@pytest.fixture(scope="module")
def chromium():
    executable = browser.find()
    if executable is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    b = browser.Browser(executable)
    yield b
    b.close()


def png_size(path) -> tuple[int, int]:
    return struct.unpack(">II", path.read_bytes()[16:24])


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_report_fits_a_phone(cli, tmp_path, chromium, lang):
    page = chromium.page(390, 844, mobile=True)
    page.open(html_report(cli, tmp_path, lang))
    found = page.evaluate(browser.LAYOUT_PROBE)
    assert found["meta"] and found["viewport"] == 390  # laid out at the phone's width
    assert found["scrollWidth"] <= 390, found["overflowing"][:10]
    assert found["overflowing"] == []
    outside = [label["text"] for label in found["labels"] if not label["inside"]]
    assert found["labels"] and outside == []
    wide = [t for t in found["tables"] if t["content"] > 390]
    assert all(t["box"] is not None and t["box"] <= 390 for t in wide), wide
    shot = page.screenshot(tmp_path / f"{lang}-390.png")
    assert png_size(shot)[0] == 390


@pytest.mark.slow
def test_report_on_a_desktop_is_unchanged(cli, tmp_path, chromium):
    page = chromium.page(1280, 900, mobile=False)
    page.open(html_report(cli, tmp_path))
    found = page.evaluate(browser.LAYOUT_PROBE)
    assert found["scrollWidth"] <= 1280 and found["overflowing"] == []
    assert all(t["box"] is None for t in found["tables"])  # nothing scrolls on a wide screen
    assert all(label["inside"] for label in found["labels"])


def test_portfolio_html_has_the_viewport_and_screen_stylesheet_too(cli, tmp_path):
    answered_mini(tmp_path / "clients", name="a.yaml", store="Acme")
    out = tmp_path / "p.html"
    assert cli("portfolio", tmp_path / "clients", "-o", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert '<meta name="viewport"' in text and '<style media="screen">' in text
