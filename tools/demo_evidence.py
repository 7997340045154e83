"""Draw the demo's evidence: screenshots of the fictional Hollow Oak Tea Co. store, made for
the purpose with Pillow, and a test-order note. Run once; the files are committed.

    .venv/bin/python tools/demo_evidence.py

Writes reports/demo/demo-audit.evidence/<ITEM>-<sha256[:8]><suffix> and prints the
`evidence:` entries for the demo audits.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "reports" / "demo" / "demo-audit.evidence"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
INK, MUTED, OAK, PALE = "#2b2a26", "#77736a", "#5b4632", "#f3efe6"


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(BOLD if bold else FONT, size)


def browser(width: int, height: int, url: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 34), fill="#e4e2dd")
    draw.rounded_rectangle((70, 7, width - 20, 27), 8, fill="white")
    draw.text((82, 10), url, fill=MUTED, font=font(12))
    for n, colour in enumerate(("#e0675f", "#e9b949", "#6bbf59")):
        draw.ellipse((12 + n * 18, 11, 24 + n * 18, 23), fill=colour)
    draw.rectangle((0, 34, width, 80), fill=OAK)
    draw.text((20, 46), "Hollow Oak Tea Co.", fill="white", font=font(20, True))
    draw.text((width - 250, 52), "Teas   Teaware   Gifts   Basket", fill="#efe6d8", font=font(13))
    return image, draw


def product_page() -> Image.Image:
    image, draw = browser(760, 460, "hollowoaktea.example/teas/first-flush-darjeeling")
    draw.rectangle((20, 100, 300, 380), fill=PALE)
    draw.ellipse((90, 170, 230, 310), fill="#c9b48f")
    draw.text((330, 100), "First Flush Darjeeling", fill=INK, font=font(24, True))
    draw.text(
        (330, 136), "Castleton estate · 100 g pouch · about 40 cups", fill=MUTED, font=font(13)
    )
    draw.text((330, 170), "GBP 14.50", fill=INK, font=font(22, True))
    draw.rectangle((330, 210, 560, 250), fill=OAK)
    draw.text((372, 221), "Add to basket", fill="white", font=font(15, True))
    draw.text((330, 266), "Fast UK delivery", fill=INK, font=font(14))
    draw.rectangle((326, 262, 470, 286), outline="#d0342c", width=3)
    draw.text((330, 300), "At a glance: muscatel, light, 3 min at 85 °C", fill=MUTED, font=font(13))
    draw.text(
        (20, 400),
        "Delivery prices, days and the Highlands surcharge: shown in the basket only.",
        fill="#d0342c",
        font=font(13, True),
    )
    return image


def faq_page() -> Image.Image:
    image, draw = browser(760, 460, "hollowoaktea.example/pages/faq")
    draw.text((20, 100), "Frequently asked questions", fill=INK, font=font(22, True))
    draw.text((20, 132), "Last updated: March 2023", fill="#d0342c", font=font(13, True))
    rows = [
        ("Who delivers my order?", "We send every parcel with ParcelSwift (2-4 days)."),
        ("Is delivery free?", "Yes, on orders over GBP 30."),
        ("Can I return tea?", "Unopened pouches within 14 days."),
        ("Do you ship abroad?", "Not yet, UK only."),
    ]
    y = 170
    for question, answer in rows:
        draw.text((20, y), question, fill=INK, font=font(15, True))
        draw.text((20, y + 24), answer, fill=MUTED, font=font(14))
        y += 64
    for y0 in (194, 258, 322):
        draw.rectangle((16, y0 - 2, 440, y0 + 20), outline="#d0342c", width=2)
    return image


def checkout_mobile() -> Image.Image:
    image = Image.new("RGB", (300, 560), "#2b2a26")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((12, 12, 288, 548), 28, fill="white")
    draw.rectangle((24, 50, 276, 84), fill=OAK)
    draw.text((34, 58), "Hollow Oak Tea Co.", fill="white", font=font(14, True))
    draw.text((34, 100), "Basket (2)", fill=INK, font=font(16, True))
    draw.text((34, 130), "Breakfast Blend 250 g   GBP 9.80", fill=MUTED, font=font(11))
    draw.text((34, 150), "Glass infuser mug      GBP 18.00", fill=MUTED, font=font(11))
    draw.text((34, 180), "GBP 3.40 more for free delivery", fill=OAK, font=font(11, True))
    draw.rectangle((34, 420, 266, 460), fill=OAK)
    draw.text((88, 431), "Go to checkout", fill="white", font=font(14, True))
    draw.rounded_rectangle((30, 300, 270, 470), 10, fill="#fbf7ef", outline=OAK, width=2)
    draw.text((46, 316), "10% off your first order!", fill=INK, font=font(13, True))
    draw.text((46, 342), "Join our tea letter", fill=MUTED, font=font(12))
    draw.rectangle((46, 372, 254, 398), outline=MUTED)
    draw.text((52, 378), "your@email", fill=MUTED, font=font(11))
    draw.text((242, 304), "×", fill=MUTED, font=font(14))
    draw.text((34, 486), "Pop-up covers the checkout button", fill="#d0342c", font=font(11, True))
    return image


TEST_ORDER = """Test order, Hollow Oak Tea Co., placed by Lena Marsh (Fieldnote CX)

Order HOT-10482, placed Wednesday 14 October 2026 at 09:12 from Bristol BS3.
Basket: Breakfast Blend 250 g, Glass infuser mug. Paid with Apple Pay on an iPhone SE.

09:12:40  order confirmation email received (Gmail and Outlook, inbox): items, delivery
          date, a 'what happens next' timeline, a note signed by Ruth.
09:14     checkout total equalled the basket total: nothing new at payment.
14:55     dispatch email with a working tracking link (Tracked 48).
--        no 'out for delivery', 'delivered' or 'delayed' email at any point.
16 Oct    parcel delivered, intact: mug in moulded pulp, a 5 g sample and a story card.
16-23 Oct no email after delivery, no review request from the store.
"""


def save(item: str, data: bytes, suffix: str) -> str:
    name = f"{item}-{hashlib.sha256(data).hexdigest()[:8]}{suffix}"
    (FOLDER / name).write_bytes(data)
    return name


def png(image: Image.Image) -> bytes:
    import io

    out = io.BytesIO()
    image.quantize(64).save(out, "PNG", optimize=True)
    return out.getvalue()


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for old in FOLDER.iterdir():
        old.unlink()
    made = {
        "EXP-05": (png(product_page()), ".png", "observed"),
        "DIG-03": (png(faq_page()), ".png", "observed"),
        "DIG-01": (png(checkout_mobile()), ".png", "observed"),
        "IMP-03": (TEST_ORDER.encode("utf-8"), ".txt", "test"),
    }
    for item, (data, suffix, kind) in made.items():
        name = save(item, data, suffix)
        sha = hashlib.sha256(data).hexdigest()
        ref = f"demo-audit.evidence/{name}"
        print(f"  {item}: evidence: [{{kind: {kind}, ref: {ref}, sha256: {sha}}}]")


if __name__ == "__main__":
    main()
