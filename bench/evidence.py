"""How long evidence takes: attaching (check, hash, copy) and thumbnailing typical images,
and bundling the demo. Prints numbers; asserts nothing (machines are noisy)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

from audit.answers import evidence


def median_ms(action, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def images(folder: Path) -> list[Path]:
    shot = Image.new("RGB", (2880, 1800), (250, 250, 250))
    draw = ImageDraw.Draw(shot)
    for y in range(0, 1800, 40):
        draw.text((20, y), "Hollow Oak Tea Co. - checkout, step 2 of 3 " * 6, fill=(20, 20, 20))
    shot.save(folder / "screenshot.png")
    photo = Image.effect_noise((4000, 3000), 60).convert("RGB")
    photo.save(folder / "photo.jpg", quality=90)
    Image.effect_noise((2800, 2000), 60).convert("RGB").save(folder / "noisy.png")
    return [folder / "screenshot.png", folder / "photo.jpg", folder / "noisy.png"]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        audit_path = folder / "shop.yaml"
        for path in images(folder):
            with Image.open(path) as image:
                size = f"{image.width}x{image.height}"
            megabytes = path.stat().st_size / 1e6
            attach = median_ms(lambda p=path: evidence.attach(audit_path, "A1", str(p)))
            thumb = median_ms(lambda p=path: evidence.thumbnail(p))
            kb = len(evidence.thumbnail(path)) / 1000
            print(
                f"{path.name:15} {size:>9} {megabytes:5.1f} MB  attach {attach:6.0f} ms"
                f"  thumbnail {thumb:6.0f} ms ({kb:.0f} KB)"
            )
        cxaudit = str(Path(sys.executable).with_name("cxaudit"))
        demo = folder / "demo"
        subprocess.run([cxaudit, "demo", "--out-dir", str(demo)], check=True, capture_output=True)
        bundle = [cxaudit, "bundle", str(demo / "demo-audit.yaml"), "-o", str(folder / "d.zip")]
        ms = median_ms(lambda: subprocess.run(bundle, check=True, capture_output=True), runs=3)
        print(
            f"cxaudit bundle of the demo: {ms:6.0f} ms, {(folder / 'd.zip').stat().st_size} bytes"
        )


if __name__ == "__main__":
    main()
