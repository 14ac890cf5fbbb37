"""How fast, how big and how good the photo renditions are, against libvips.

    python benchmarks/renditions.py [photo ...]
        render() against the same rendition set made by libvips, interleaved
    python benchmarks/renditions.py --compare-formats [photo ...]
        the encoder sweep behind docs/renditions.md
    python benchmarks/renditions.py --watermark [photo ...]
        the studio watermark's cost per photo (galleries/imaging/watermark.py)

Timing: with no photo given, three photos are measured: a 12-megapixel JPEG (4000x3000
stored, EXIF orientation 6, made from samples/photos/camera/canon_hdr_NO.jpg), a
24-megapixel JPEG (6000x4000, from iphone_hdr_NO.jpg), both upscaled from the real
camera photo with sensor-like grain added so they compress like camera files (quality
92), generated in a temporary directory, and the real 12-megapixel iPhone HEIC of
samples/photos/heic (Display P3, orientation 6).

Two worker processes, pinned to the same core, make the full rendition set of each
photo: one with ``galleries.imaging.render``, one with an equivalent libvips pipeline
(pyvips from the ``pyvips-binary`` wheel, requirements/dev.txt: one thread, operation
cache off). They take turns, run by run, so both see the same machine. libvips makes
exactly the sizes render() made (same boxes, same formats, same encoder settings: WebP
q85 effort 4 and JPEG q85 with optimised Huffman tables for the grid sizes, JPEG q80
for the preview, a 20 px WebP q50 placeholder, the average colour), upright, in sRGB,
without metadata. The wheel's libvips has no HEVC decoder, so for HEIC its pipeline
starts from pillow-heif's decoded pixels (the same decoder render() uses) and libvips
does the rest. Peak memory is each worker's peak RSS (VmHWM; fresh workers for each
photo), so C allocations count; the interpreter with its imports is part of it.
The target: a ratio of at most 1.0 and a peak under 150 MB.

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


def _camera_like(source: Path, size: tuple[int, int]) -> tuple[Image.Image, bytes]:
    """A real photo's stored pixels, cropped to the size's shape, upscaled, with grain.

    The pixels stay as stored (not turned upright) and the EXIF comes along, so the
    orientation tag still describes them.
    """
    with Image.open(source) as opened:
        photo = opened.convert("RGB")
        exif = opened.info.get("exif", b"")
    width, height = photo.size
    crop_height = min(height, width * size[1] // size[0])
    crop_width = crop_height * size[0] // size[1]
    left, top = (width - crop_width) // 2, (height - crop_height) // 2
    photo = photo.crop((left, top, left + crop_width, top + crop_height))
    photo = photo.resize(size, Image.Resampling.BICUBIC)
    grain = Image.effect_noise(size, 6)  # centred on 128
    photo = ImageChops.add(photo, Image.merge("RGB", (grain,) * 3), offset=-128)
    return photo, exif


def make_12mp_jpeg(directory: Path) -> Path:
    """4000x3000 as stored, EXIF orientation 6 (shown 3000x4000), like a camera's."""
    photo, exif = _camera_like(PHOTOS / "camera" / "canon_hdr_NO.jpg", (4000, 3000))
    path = directory / "sample_12mp_orientation6.jpg"
    photo.save(path, quality=92, exif=exif)
    return path


def make_24mp_jpeg(directory: Path) -> Path:
    """6000x4000 (3:2 like a full-frame sensor), orientation 1."""
    photo, _exif = _camera_like(SAMPLE_SOURCE, (6000, 4000))
    path = directory / "sample_24mp.jpg"
    photo.save(path, quality=92)
    return path


def default_photos(directory: Path) -> list[Path]:
    return [
        make_12mp_jpeg(directory),
        make_24mp_jpeg(directory),
        PHOTOS / "heic" / "iphone_13_pro_max.HEIC",
    ]


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


class ProofsheetEngine:
    name = "proofsheet"

    def render(self, path: Path, plan: dict | None) -> dict:
        renditions = imaging.render(path)
        return {
            "files": [
                (r.name, r.format, r.width, r.height, len(r.data))
                for r in renditions.items
            ],
            "placeholder_chars": len(renditions.placeholder),
            "colour": renditions.color,
        }


class LibvipsEngine:
    """The same rendition set made by libvips, the way an application would call it.

    ``plan`` is what render() made for this photo: libvips makes the same boxes. The
    preview comes from ``thumbnail`` (shrink-on-load, then a lanczos3 reduction,
    upright), is turned to sRGB from its embedded profile and kept in memory; each
    smaller size is reduced from the next larger one, as render() does.
    """

    name = "libvips"

    def __init__(self) -> None:
        import pyvips

        pyvips.cache_set_max(0)  # a benchmark must not be served from the cache
        pyvips.concurrency_set(1)
        self.vips = pyvips

    def _preview(self, path: Path, box: int):
        vips = self.vips
        if path.suffix.lower() in (".heic", ".heif"):
            # The wheel's libheif has no HEVC decoder: decode with pillow-heif.
            import pillow_heif

            heif = pillow_heif.open_heif(str(path), convert_hdr_to_8bit=True)
            width, height = heif.size
            bands = len(heif.mode)
            image = vips.Image.new_from_memory(
                heif.data, heif.stride // bands, height, bands, "uchar"
            )
            if heif.stride != width * bands:
                image = image.crop(0, 0, width, height)
            image = image.copy(interpretation="srgb")
            icc = heif.info.get("icc_profile")
            if icc:
                image.set_type(vips.GValue.blob_type, "icc-profile-data", bytes(icc))
            image = image.thumbnail_image(box, height=box, size="down")
        else:
            image = vips.Image.thumbnail(str(path), box, height=box, size="down")
        if image.get_typeof("icc-profile-data"):
            image = image.icc_transform("srgb", embedded=True, intent="perceptual")
        return image.copy_memory()

    def render(self, path: Path, plan: dict | None) -> dict:
        assert plan is not None
        boxes = sorted({box for box, _name, _fmt in plan["specs"]}, reverse=True)
        by_box = {}
        previous = self._preview(path, boxes[0])
        by_box[boxes[0]] = previous
        for box in boxes[1:]:
            scale = box / max(previous.width, previous.height)
            if scale < 1:
                previous = previous.resize(scale, kernel="lanczos3").copy_memory()
            by_box[box] = previous
        files = []
        for box, name, fmt in plan["specs"]:
            image = by_box[box]
            if fmt == "webp":
                data = image.webpsave_buffer(Q=85, effort=4, keep="none")
            elif image.width * image.height <= 1_000_000:
                data = image.jpegsave_buffer(Q=85, optimize_coding=True, keep="none")
            else:
                data = image.jpegsave_buffer(Q=80, keep="none")
            files.append((name, fmt, image.width, image.height, len(data)))
        smallest = by_box[boxes[-1]]
        tiny = smallest.resize(20 / max(smallest.width, smallest.height))
        placeholder = tiny.webpsave_buffer(Q=50, effort=6, keep="none")
        stats = smallest.stats()  # one row per band, then all: column 4 is the mean
        red, green, blue = (round(stats(4, band)[0]) for band in (1, 2, 3))
        return {
            "files": files,
            "placeholder_chars": len(placeholder) * 4 // 3 + 23,
            "colour": f"#{red:02x}{green:02x}{blue:02x}",
        }


def plan_of(result: dict) -> dict:
    """What libvips must make: render()'s boxes (long side), names and formats."""
    return {
        "specs": [
            (max(width, height), name, fmt)
            for name, fmt, width, height, _bytes in result["files"]
        ]
    }


def serve(engine_name: str, core: int) -> None:
    """A worker: one JSON command per line on stdin, one JSON answer per line."""
    pin_to_one_core(core)
    engine = LibvipsEngine() if engine_name == "libvips" else ProofsheetEngine()
    baseline = current_rss_mb()
    for line in sys.stdin:
        command = json.loads(line)
        if command["op"] == "reset":
            reset_peak_rss()
            answer: dict = {"baseline_mb": baseline}
        elif command["op"] == "peak":
            answer = {"peak_mb": peak_rss_mb(), "baseline_mb": baseline}
        else:
            started = time.perf_counter()
            answer = engine.render(Path(command["path"]), command.get("plan"))
            answer["ms"] = (time.perf_counter() - started) * 1000
        print(json.dumps(answer), flush=True)


class Worker:
    def __init__(self, engine: str, core: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, f"--worker={engine}", f"--core={core}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, **command: object) -> dict:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            sys.exit("a benchmark worker died")
        return json.loads(line)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def libvips_available() -> bool:
    try:
        import pyvips

        pyvips.version(0)
    except (ImportError, OSError):
        return False
    return True


def run_timing(paths: list[Path], runs: int, warmup: int, core: int) -> None:
    vips = libvips_available()
    if not vips:
        print("(pyvips not installed: pip install -r requirements/dev.txt)")
    summary = []
    for path in paths:
        # Fresh workers for each photo: a peak is that photo's alone.
        ours = Worker("proofsheet", core)
        theirs = Worker("libvips", core) if vips else None
        try:
            summary.append(compare(path, ours, theirs, runs, warmup))
        finally:
            ours.close()
            if theirs is not None:
                theirs.close()
    print("\nsummary (median ms, one core; peak RSS of the worker)")
    for row in summary:
        print(
            "  {name:32} proofsheet {ours:6.1f} ms {ours_mb:4.0f} MB   "
            "libvips {theirs} ms {theirs_mb} MB   ratio {ratio}".format(**row)
        )


def compare(
    path: Path, ours: Worker, theirs: Worker | None, runs: int, warmup: int
) -> dict:
    with Image.open(path) as opened:
        pixels = f"{opened.width}x{opened.height}"
    print(f"\n{path.name}  ({pixels} stored, {path.stat().st_size / 1e6:.1f} MB)")
    workers = [ours] if theirs is None else [ours, theirs]
    for worker in workers:
        worker.ask(op="reset")
    plan = None
    times: dict[Worker, list[float]] = {worker: [] for worker in workers}
    results: dict[Worker, dict] = {}
    for index in range(warmup + runs):
        for worker in workers if index % 2 == 0 else reversed(workers):
            result = worker.ask(op="render", path=str(path), plan=plan)
            if worker is ours and plan is None:
                plan = plan_of(result)
            results[worker] = result
            if index >= warmup:
                times[worker].append(result["ms"])
    peaks = {worker: worker.ask(op="peak") for worker in workers}
    for worker, label in zip(workers, ("proofsheet", "libvips"), strict=False):
        result, peak = results[worker], peaks[worker]
        print(
            f"  {label:10}  median {statistics.median(times[worker]):6.1f} ms   "
            f"p95 {percentile(times[worker], 0.95):6.1f}   "
            f"min {min(times[worker]):6.1f}   peak RSS {peak['peak_mb']:.0f} MB "
            f"(+{peak['peak_mb'] - peak['baseline_mb']:.0f} over the idle worker)"
        )
        print(
            "              "
            + "  ".join(
                f"{name}.{fmt} {width}x{height} {size / 1024:.0f}K"
                for name, fmt, width, height, size in result["files"]
            )
            + f"  placeholder {result['placeholder_chars']} chars {result['colour']}"
        )
    ours_ms = statistics.median(times[ours])
    row = {
        "name": f"{path.name} ({pixels})",
        "ours": ours_ms,
        "ours_mb": peaks[ours]["peak_mb"],
        "theirs": "   -  ",
        "theirs_mb": "  -",
        "ratio": "-",
    }
    if theirs is not None:
        theirs_ms = statistics.median(times[theirs])
        row |= {
            "theirs": f"{theirs_ms:6.1f}",
            "theirs_mb": f"{peaks[theirs]['peak_mb']:3.0f}",
            "ratio": f"{ours_ms / theirs_ms:.2f}x",
        }
        print(f"  ratio       {ours_ms / theirs_ms:.2f}x libvips's time")
    return row


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


WATERMARKS = {
    "text, bottom right 25 %": {"text": "© Olivia Studio", "position": "bottom-right"},
    "text, tiled 20 %": {"text": "© Olivia Studio", "position": "tiled", "size": 20},
    "image, centre 40 %": {"image": True, "position": "centre", "size": 40},
}


def _mark_png() -> bytes:
    """A logo-like transparent PNG: a ring and a bar, 600 x 240."""
    from PIL import ImageDraw

    mark = Image.new("RGBA", (600, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(mark)
    draw.ellipse((10, 10, 230, 230), outline=(255, 255, 255, 255), width=24)
    draw.rectangle((260, 90, 590, 150), fill=(255, 255, 255, 255))
    out = io.BytesIO()
    mark.save(out, "PNG")
    return out.getvalue()


def run_watermark(paths: list[Path], runs: int, warmup: int, core: int) -> None:
    """The watermark's cost per photo: from its stored preview (what the worker reads)
    to every watermarked rendition encoded, as `galleries.watermarks` makes them."""
    from galleries.imaging import watermark

    pin_to_one_core(core)
    image = _mark_png()
    print(
        "| photo | watermark | median ms | p90 ms | the photo's own render() ms "
        "| preview KB |"
    )
    print("|---|---|---|---|---|---|")
    for path in paths:
        made = imaging.render(path)
        preview = made.get("preview", "jpeg").data
        own = []
        for _run in range(runs):
            started = time.perf_counter()
            imaging.render(path)
            own.append((time.perf_counter() - started) * 1000)
        for label, options in WATERMARKS.items():
            spec = watermark.Spec(
                **{**options, "image": image if options.get("image") else b""}
            )
            times = []
            for run in range(warmup + runs):
                started = time.perf_counter()
                items = watermark.render(io.BytesIO(preview), spec)
                if run >= warmup:
                    times.append((time.perf_counter() - started) * 1000)
            size = next(i for i in items if i.name == "preview").data
            print(
                f"| {path.name} ({made.width}x{made.height}) | {label} "
                f"| {statistics.median(times):.0f} | {percentile(times, 0.9):.0f} "
                f"| {statistics.median(own):.0f} | {len(size) / 1024:.0f} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("photos", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--core", type=int, default=0, help="CPU to pin to")
    parser.add_argument("--compare-formats", action="store_true")
    parser.add_argument(
        "--watermark", action="store_true", help="the watermark's cost per photo"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        serve(args.worker, args.core)
        return

    with tempfile.TemporaryDirectory() as scratch:
        if args.compare_formats:
            photos = args.photos or [
                *(PHOTOS / name for name in SWEEP_PHOTOS),
                make_24mp_jpeg(Path(scratch)),
            ]
            run_sweep(photos, args.core)
        elif args.watermark:
            photos = args.photos or default_photos(Path(scratch))
            run_watermark(photos, args.runs, args.warmup, args.core)
        else:
            photos = args.photos or default_photos(Path(scratch))
            print(
                f"Pillow {Image.__version__}, one core (#{args.core}), "
                f"{args.warmup} warm-up + {args.runs} measured runs per photo, "
                "the two engines alternating"
            )
            run_timing(photos, args.runs, args.warmup, args.core)


if __name__ == "__main__":
    main()
