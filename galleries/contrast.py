"""Colour contrast as WCAG 2.x defines it, for the studio's accent colour.

Relative luminance and the contrast ratio follow WCAG 2.2's definitions: sRGB channels
linearised (the 0.04045 threshold), weighted 0.2126 R + 0.7152 G + 0.0722 B, and a ratio
of (L1 + 0.05) / (L2 + 0.05), 1 to 21. Text needs 4.5:1 (AA, normal size).
"""

from __future__ import annotations

import re

AA_TEXT = 4.5

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")

#: The text colours put on an accent: the darker of the two for a light accent.
DARK_TEXT = "#1b1a18"
LIGHT_TEXT = "#ffffff"


def parse(hex_colour: str) -> tuple[int, int, int]:
    if not HEX.match(hex_colour):
        raise ValueError(f"not a #rrggbb colour: {hex_colour!r}")
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def to_hex(rgb: tuple[int, int, int]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def _linear(channel: float) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    r, g, b = (_linear(c) for c in parse(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_on(background: str) -> str:
    """Dark or light text, whichever contrasts more with `background`."""
    if ratio(DARK_TEXT, background) >= ratio(LIGHT_TEXT, background):
        return DARK_TEXT
    return LIGHT_TEXT


def readable_on(colour: str, background: str, minimum: float = AA_TEXT) -> str:
    """`colour` itself if it reaches `minimum` against `background` as text, else the
    nearest colour of the same hue that does: mixed towards black on a light
    background, towards white on a dark one (the least mix that is enough)."""
    if ratio(colour, background) >= minimum:
        return colour
    target = (0, 0, 0) if luminance(background) > 0.18 else (255, 255, 255)
    rgb = parse(colour)
    low, high = 0.0, 1.0  # how much of `target` is mixed in
    for _ in range(20):
        middle = (low + high) / 2
        if ratio(_mix(rgb, target, middle), background) >= minimum:
            high = middle
        else:
            low = middle
    best = _mix(rgb, target, high)
    # Rounding to whole channels can land a hair below: step on until it holds.
    while ratio(best, background) < minimum and high < 1:
        high = min(1.0, high + 0.01)
        best = _mix(rgb, target, high)
    return best


def _mix(rgb: tuple[int, int, int], target: tuple[int, int, int], amount: float) -> str:
    return to_hex(tuple(c + (t - c) * amount for c, t in zip(rgb, target, strict=True)))  # type: ignore[arg-type]
