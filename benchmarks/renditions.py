"""How fast, how big and how good the photo renditions are.

    python benchmarks/renditions.py [photo ...]
        time inspect() and render()
    python benchmarks/renditions.py --compare-formats [photo ...]
        the encoder sweep behind docs/renditions.md

Timing: with no photo given, a realistic 24-megapixel JPEG (6000x4000, ~8 MB at quality
92, made from a real camera photo plus sensor-like grain so it compresses like one) is
generated in a temporary directory. Each photo is measured in a fresh child process
pinned to one core, so the peak RSS reported is that of the rendering alone: the
budget is 300 ms and 300 MB for 24 MP on one core.

The format sweep needs the SSIMULACRA2 metric, a development-only extra:
``pip install ssimulacra2`` (pulls numpy and scipy).
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from PIL import Image, ImageChops, ImageOps  # noqa: E402

from galleries import imaging  # noqa: E402

PHOTOS = REPO / "samples" / "photos"
SAMPLE_SOURCE = PHOTOS / "camera" / "iphone_hdr_NO.jpg"


def make_24mp_jpeg(directory: Path) -> Path:
    """Upscale a real photo to 6000x4000 and add grain, as a camera file would have."""
    with Image.open(SAMPLE_SOURCE) as source:
        photo = ImageOps.exif_transpose(source).convert("RGB")
    width, height = photo.size
    crop_height = width * 2 // 3  # 3:2 like a full-frame sensor
    top = (height - crop_height) // 2
    photo = photo.crop((0, top, width, top + crop_height))
    photo = photo.resize((6000, 4000), Image.Resampling.BICUBIC)
    grain = Image.effect_noise((6000, 4000), 6)  # centred on 128
    photo = ImageChops.add(photo, Image.merge("RGB", (grain,) * 3), offset=-128)
    path = directory / "sample_24mp.jpg"
    photo.save(path, quality=92)
    return path


def pin_to_one_core(core: int) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {core})


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))
    return ordered[index]


def _proc_status_mb(field: str) -> float | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return None


def current_rss_mb() -> float:
    return _proc_status_mb("VmRSS") or 0.0


def reset_peak_rss() -> None:
    """Linux >= 4.0 resets VmHWM on "5" (getrusage's maxrss survives exec: useless)."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        pass


def peak_rss_mb() -> float:
    peak = _proc_status_mb("VmHWM")
    if peak is None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB
    return peak


# ------------------------------------------------------------------------ timing


def measure(path: Path, runs: int, warmup: int) -> dict[str, object]:
    """Runs in the child process: nothing big has been allocated yet."""
    baseline = current_rss_mb()
    reset_peak_rss()
    inspect_ms, render_ms = [], []
    info = renditions = None
    for index in range(warmup + runs):
        started = time.perf_counter()
        info = imaging.inspect(path, max_pixels=imaging.DEFAULT_MAX_PIXELS)
        inspected = time.perf_counter()
        renditions = imaging.render(path)
        rendered = time.perf_counter()
        if index >= warmup:
            inspect_ms.append((inspected - started) * 1000)
            render_ms.append((rendered - inspected) * 1000)
    assert info is not None
    assert renditions is not None
    return {
        "file": str(path),
        "megabytes": path.stat().st_size / 1e6,
        "pixels": f"{info.width}x{info.height}",
        "inspect_ms": statistics.median(inspect_ms),
        "render_median_ms": statistics.median(render_ms),
        "render_p95_ms": percentile(render_ms, 0.95),
        "render_min_ms": min(render_ms),
        "peak_rss_mb": peak_rss_mb(),
        "rss_growth_mb": peak_rss_mb() - baseline,
        "renditions": [
            (r.name, r.format, r.width, r.height, len(r.data)) for r in renditions.items
        ],
        "placeholder_chars": len(renditions.placeholder),
        "colour": renditions.color,
    }


def report(result: dict[str, object]) -> None:
    print(f"\n{result['file']}  ({result['pixels']}, {result['megabytes']:.1f} MB)")
    print(f"  inspect()  median {result['inspect_ms']:7.1f} ms")
    print(
        f"  render()   median {result['render_median_ms']:7.1f} ms   "
        f"p95 {result['render_p95_ms']:.1f} ms   min {result['render_min_ms']:.1f} ms"
    )
    print(
        f"  memory     peak RSS {result['peak_rss_mb']:.0f} MB "
        f"(+{result['rss_growth_mb']:.0f} MB over the interpreter with imports)"
    )
    for name, fmt, width, height, size in result["renditions"]:  # type: ignore[union-attr]
        print(f"  {name:8} {fmt:5} {width:>4}x{height:<4} {size / 1024:8.1f} KB")
    print(
        f"  placeholder {result['placeholder_chars']} characters, "
        f"colour {result['colour']}"
    )


def run_timing(paths: list[Path], runs: int, warmup: int, core: int) -> None:
    for path in paths:
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                str(path),
                f"--runs={runs}",
                f"--warmup={warmup}",
                f"--core={core}",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        report(json.loads(child.stdout))


# ---------------------------------------------------------------- format sweep

SWEEP_PHOTOS = (
    "camera/jolla.jpg",
    "camera/iphone_hdr_NO.jpg",
    "camera/canon_hdr_NO.jpg",
    "odd/corrupted.jpg",
    "heic/iphone_13_pro_max.HEIC",
)
SWEEP_BOXES = (400, 800, 2048)
SWEEP_TARGETS = (75.0, 80.0, 85.0)
# (family, format, options): a family is one encoder at one effort, across qualities.
SWEEP_ENCODERS: list[tuple[str, str, dict[str, object]]] = [
    *[("jpeg", "jpeg", {"quality": q, "optimize": True}) for q in range(60, 95, 5)],
    *[
        (
            "jpeg progressive",
            "jpeg",
            {"quality": q, "optimize": True, "progressive": True},
        )
        for q in (70, 80, 90)
    ],
    *[
        (f"webp m{m}", "webp", {"quality": q, "method": m})
        for m in (0, 4)
        for q in (70, 80, 85, 90)
    ],
    *[
        ("avif s10", "avif", {"quality": q, "speed": 10, "max_threads": 1})
        for q in (50, 60, 70, 80)
    ],
    *[
        ("avif s8", "avif", {"quality": q, "speed": 8, "max_threads": 1})
        for q in (60, 70)
    ],
]


def run_sweep(paths: list[Path], core: int) -> None:
    """Bytes, encode time and SSIMULACRA2 for each encoder setting and size.

    SSIMULACRA2 scores 90+ as visually lossless, 80 as very high quality (differences
    invisible at normal viewing distance), 70 as high. The summary compares families
    at equal score: bytes saved against libjpeg-turbo at the same SSIMULACRA2.
    """
    try:
        from ssimulacra2 import compute_ssimulacra2
    except ImportError:
        sys.exit("--compare-formats needs: pip install ssimulacra2")
    pin_to_one_core(core)
    rows: list[dict] = []
    print("photo\tbox\tfamily\tsettings\tbytes\tencode_ms\tssimulacra2")
    for path in paths:
        with Image.open(path) as opened:
            full = ImageOps.exif_transpose(opened).convert("RGB")
        for box in SWEEP_BOXES:
            reference = full.copy()
            reference.thumbnail((box, box), Image.Resampling.LANCZOS)
            lossless = io.BytesIO()
            reference.save(lossless, "PNG", compress_level=1)
            for family, fmt, options in SWEEP_ENCODERS:
                encoded = io.BytesIO()
                started = time.perf_counter()
                reference.save(encoded, fmt.upper(), **options)
                elapsed = (time.perf_counter() - started) * 1000
                lossless.seek(0)
                encoded.seek(0)
                score = compute_ssimulacra2(lossless, encoded)
                row = {
                    "photo": path.name,
                    "box": box,
                    "family": family,
                    "bytes": encoded.getbuffer().nbytes,
                    "ms": elapsed,
                    "score": score,
                    "megapixels": reference.width * reference.height / 1e6,
                }
                rows.append(row)
                settings = ",".join(f"{k}={v}" for k, v in options.items())
                print(
                    f"{path.name}\t{box}\t{family}\t{settings}\t{row['bytes']}\t"
                    f"{elapsed:.1f}\t{score:.2f}",
                    flush=True,
                )
    summarise_sweep(rows)


def bytes_at(points: list[tuple[float, int]], target: float) -> float | None:
    """Interpolate a size-vs-score curve (log size, linear score) at a target score."""
    for (score_a, bytes_a), (score_b, bytes_b) in itertools.pairwise(sorted(points)):
        if score_a <= target <= score_b and score_b > score_a:
            weight = (target - score_a) / (score_b - score_a)
            log_a, log_b = math.log(bytes_a), math.log(bytes_b)
            return math.exp(log_a + weight * (log_b - log_a))
    return None


def curve(
    rows: list[dict], photo: str, box: int, family: str
) -> list[tuple[float, int]]:
    return [
        (row["score"], row["bytes"])
        for row in rows
        if (row["photo"], row["box"], row["family"]) == (photo, box, family)
    ]


def summarise_sweep(rows: list[dict]) -> None:
    families = list(dict.fromkeys(row["family"] for row in rows))
    photos = sorted({row["photo"] for row in rows})
    print(
        "\nSize against JPEG at equal SSIMULACRA2 (median over photos; - = not reached)"
    )
    print("and median encode time per megapixel on one core")
    header = "".join(f"  s2={target:<4.0f}" for target in SWEEP_TARGETS)
    for box in SWEEP_BOXES:
        print(f"\nbox {box:<18}{header}   ms/MP")
        for family in families:
            cells = []
            for target in SWEEP_TARGETS:
                ratios = []
                for photo in photos:
                    ours = bytes_at(curve(rows, photo, box, family), target)
                    jpeg = bytes_at(curve(rows, photo, box, "jpeg"), target)
                    if ours and jpeg:
                        ratios.append(ours / jpeg)
                median = statistics.median(ratios) - 1 if ratios else None
                cells.append(
                    f"{median:+8.0%}  " if median is not None else f"{'-':>8}  "
                )
            speeds = [
                row["ms"] / row["megapixels"]
                for row in rows
                if row["box"] == box and row["family"] == family
            ]
            print(f"  {family:20}{''.join(cells)} {statistics.median(speeds):7.0f}")


# ------------------------------------------------------------------------ main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("photos", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--core", type=int, default=0, help="CPU to pin to")
    parser.add_argument("--compare-formats", action="store_true")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        pin_to_one_core(args.core)
        print(json.dumps(measure(args.child, args.runs, args.warmup)))
        return

    with tempfile.TemporaryDirectory() as scratch:
        if args.compare_formats:
            photos = args.photos or [
                *(PHOTOS / name for name in SWEEP_PHOTOS),
                make_24mp_jpeg(Path(scratch)),
            ]
            run_sweep(photos, args.core)
        else:
            photos = args.photos or [make_24mp_jpeg(Path(scratch))]
            print(
                f"Pillow {Image.__version__}, one core (#{args.core}), "
                f"{args.warmup} warm-up + {args.runs} measured runs per photo"
            )
            run_timing(photos, args.runs, args.warmup, args.core)


if __name__ == "__main__":
    main()
