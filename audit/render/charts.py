"""SVG geometry for the report's charts. Shapes only: every label is HTML over the chart.

WeasyPrint draws SVG <text> glyph by glyph (Hebrew reversed, Arabic unjoined), so labels
are returned as positions (percent of the chart box) for the template to place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

BAND_COLOURS = {
    "exceeds": "#2f6f4f",
    "meets": "#7aa95c",
    "partly meets": "#e0a43a",
    "falls short": "#b8473d",
    None: "#c9ccd1",
}


def colour(band: str | None) -> str:
    return BAND_COLOURS[band]


@dataclass(frozen=True)
class Label:
    text: str
    value: str
    x: float  # percent of the chart's width
    y: float  # percent of the chart's height
    anchor: str  # "start", "middle" or "end": which side of the point the label sits
    assessed: bool


@dataclass(frozen=True)
class Radar:
    svg: str
    labels: list[Label]
    scale: list[Label] = field(default_factory=list)  # 25, 50, 75, 100 along the first axis


def radar(
    axes: list[tuple[str, float | None]],
    size: int = 300,
    others: list[list[float | None]] | None = None,
) -> Radar:
    """A radar of 0..100 scores. An axis with no score is drawn dashed and skipped by the shape."""
    c = size / 2
    r = size * 0.36
    n = len(axes)

    def point(k: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * k / n
        return c + r * value / 100 * math.cos(angle), c + r * value / 100 * math.sin(angle)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="100%" height="100%" font-family="sans-serif">'
    ]
    for ring in (25, 50, 75, 100):
        outline = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(k, ring) for k in range(n)))
        stroke = "#9aa3ad" if ring == 100 else "#d5d9de"
        parts.append(
            f'<polygon points="{outline}" fill="none" stroke="{stroke}" stroke-width="0.8"/>'
        )
    for k, (_, value) in enumerate(axes):
        x, y = point(k, 100)
        dash = ' stroke-dasharray="3,3"' if value is None else ""
        parts.append(
            f'<line x1="{c}" y1="{c}" x2="{x:.1f}" y2="{y:.1f}" stroke="#c3c8ce" '
            f'stroke-width="0.8"{dash}/>'
        )
    for series, fill, stroke, dash in _series(axes, others):
        pts = [point(k, v) for k, v in enumerate(series) if v is not None]
        if len(pts) >= 2:
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            parts.append(
                f'<polygon points="{coords}" fill="{fill}" stroke="{stroke}" '
                f'stroke-width="1.6" stroke-linejoin="round"{dash}/>'
            )
        for x, y in pts:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="{stroke}"/>')
    parts.append("</svg>")
    labels = []
    for k, (text, value) in enumerate(axes):
        x, y = point(k, 118)
        dx = x - c
        anchor = "middle" if abs(dx) < size * 0.05 else ("start" if dx > 0 else "end")
        labels.append(
            Label(
                text,
                "" if value is None else f"{value:.0f}",
                x / size * 100,
                y / size * 100,
                anchor,
                value is not None,
            )
        )
    scale = []
    for ring in (25, 50, 75, 100):
        x, y = point(0, ring)
        scale.append(
            Label(str(ring), str(ring), (x + 3) / size * 100, y / size * 100, "start", True)
        )
    return Radar("".join(parts), labels, scale)


def _series(axes, others):
    """Earlier audits first, dashed and grey, so the current one is drawn on top."""
    for series in others or []:
        yield series, "none", "#8a939e", ' stroke-dasharray="4,3"'
    yield [v for _, v in axes], "rgba(46,94,140,0.18)", "#2e5e8c", ""


TRACK = "#eef0f3"


def bar(
    score: float | None, band: str | None, before: float | None = None, rtl: bool = False
) -> str:
    """A horizontal bar on a 0..100 track, coloured by band; an empty track when not assessed.

    White ticks on the track mark 50, 70 and 85. `before`, an earlier score, is a dark tick:
    the bar's change is the distance. `rtl`: the bar grows from the right. One block with a
    gradient of hard stops: the SVG it replaces cost WeasyPrint seven times the layout work.
    """
    if score is not None and math.isnan(score):
        score = None
    if before is not None and math.isnan(before):
        before = None
    fill = 0.0 if score is None else max(min(score, 100.0), 0.75)
    layers = [(0.0, 100.0, TRACK), (0.0, fill, colour(band))]  # painted in order, last on top
    layers += [(m - 0.2, m + 0.2, "#ffffff") for m in (50, 70, 85) if m - 0.2 > fill]
    if before is not None:
        at = min(max(before, 0.5), 99.5)
        layers.append((at - 0.5, at + 0.5, "#1f2a44"))
    edges = sorted({e for start, end, _ in layers for e in (start, end)})
    stops: list[str] = []
    for left, right in zip(edges, edges[1:], strict=False):
        paint = next(c for a, b, c in reversed(layers) if a <= left and right <= b)
        stops += [f"{paint} {left:.1f}%", f"{paint} {right:.1f}%"]
    gradient = f"linear-gradient(to {'left' if rtl else 'right'}, {', '.join(stops)})"
    return f'<div class="bar" style="background-image: {gradient}"></div>'


def gauge(score: float | None, width: int = 400, height: int = 26) -> str:
    """The overall score on a track split into the four bands, with a marker at the score."""
    bands = [
        (0, 50, "falls short"),
        (50, 70, "partly meets"),
        (70, 85, "meets"),
        (85, 100, "exceeds"),
    ]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" height="{height}px">'
    ]
    track_y, track_h = 8, 10
    for low, high, name in bands:
        x0, x1 = width * low / 100, width * high / 100
        parts.append(
            f'<rect x="{x0:.1f}" y="{track_y}" width="{x1 - x0 - 1:.1f}" height="{track_h}" '
            f'fill="{colour(name)}" opacity="0.85"/>'
        )
    if score is not None:
        x = min(max(width * score / 100, 3), width - 3)
        parts.append(
            f'<polygon points="{x - 6:.1f},0 {x + 6:.1f},0 {x:.1f},{track_y + 1}" fill="#1f2a44"/>'
        )
        parts.append(
            f'<rect x="{x - 1.5:.1f}" y="{track_y - 1}" width="3" height="{track_h + 6}" '
            'fill="#1f2a44"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _band(score: float) -> str:
    from audit.judgement.scoring import band

    return band(score) or "falls short"
