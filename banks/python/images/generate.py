"""Draw the images of `banks/python/figures.yaml` with the standard library only.

Run it from anywhere (`python banks/python/images/generate.py`); it rewrites, beside itself,
`tree.png` (a binary tree, drawn pixel by pixel and written as a PNG with zlib and struct)
and `shared-rows.svg` (what `[[0] * 2] * 3` builds in memory, as SVG text). The output is
the same bytes on every run.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
WIDTH, HEIGHT, RADIUS = 200, 120, 11
WHITE, INK, FILL = (255, 255, 255), (40, 50, 70), (200, 225, 245)
# A 3x5 pixel font for the digits the tree shows (each row: 3 bits, left to right).
DIGITS = {
    "1": (0b010, 0b110, 0b010, 0b010, 0b111),
    "2": (0b111, 0b001, 0b111, 0b100, 0b111),
    "3": (0b111, 0b001, 0b111, 0b001, 0b111),
    "4": (0b101, 0b101, 0b111, 0b001, 0b001),
    "5": (0b111, 0b100, 0b111, 0b001, 0b111),
    "6": (0b111, 0b100, 0b111, 0b101, 0b111),
    "7": (0b111, 0b001, 0b010, 0b010, 0b010),
}
# The tree of the question: value -> (x, y) of its node, and the edges parent -> child.
NODES = {
    "4": (100, 20),
    "2": (52, 58),
    "6": (148, 58),
    "1": (28, 98),
    "3": (76, 98),
    "5": (124, 98),
    "7": (172, 98),
}
EDGES = [("4", "2"), ("4", "6"), ("2", "1"), ("2", "3"), ("6", "5"), ("6", "7")]

Pixels = list[list[tuple[int, int, int]]]


def line(pixels: Pixels, start: tuple[int, int], end: tuple[int, int]) -> None:
    """A line two pixels wide from `start` to `end`."""
    (x0, y0), (x1, y1) = start, end
    steps = max(abs(x1 - x0), abs(y1 - y0))
    for i in range(steps + 1):
        x = round(x0 + (x1 - x0) * i / steps)
        y = round(y0 + (y1 - y0) * i / steps)
        for dx, dy in ((0, 0), (1, 0), (0, 1)):
            pixels[y + dy][x + dx] = INK


def node(pixels: Pixels, centre: tuple[int, int], label: str) -> None:
    """A filled circle with an outline, and its digit in the middle (scaled 2x)."""
    cx, cy = centre
    for y in range(cy - RADIUS - 1, cy + RADIUS + 2):
        for x in range(cx - RADIUS - 1, cx + RADIUS + 2):
            distance = ((x - cx) ** 2 + (y - cy) ** 2) ** 0.5
            if distance <= RADIUS - 2:
                pixels[y][x] = FILL
            elif distance <= RADIUS:
                pixels[y][x] = INK
    for row, bits in enumerate(DIGITS[label]):
        for column in range(3):
            if bits >> (2 - column) & 1:
                for dy in range(2):
                    for dx in range(2):
                        pixels[cy - 5 + 2 * row + dy][cx - 3 + 2 * column + dx] = INK


def png(pixels: Pixels) -> bytes:
    """The PNG file of an RGB image (8 bits per channel, no filter)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    raw = b"".join(b"\0" + bytes(c for pixel in row for c in pixel) for row in pixels)
    header = struct.pack(">IIBBBBB", len(pixels[0]), len(pixels), 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def tree_png() -> bytes:
    pixels = [[WHITE] * WIDTH for _ in range(HEIGHT)]
    for parent, child in EDGES:
        line(pixels, NODES[parent], NODES[child])
    for label, centre in NODES.items():
        node(pixels, centre, label)
    return png(pixels)


def shared_rows_svg() -> str:
    """Three slots of `grid`, each an arrow to the one inner list `[0, 0]`."""
    slots = "".join(
        f'<rect x="20" y="{30 + 30 * i}" width="40" height="30" class="box"/>'
        f'<text x="8" y="{50 + 30 * i}">{i}</text>'
        f'<path d="M 50 {45 + 30 * i} L 168 75" class="arrow"/>'
        for i in range(3)
    )
    cells = "".join(
        f'<rect x="{170 + 40 * i}" y="60" width="40" height="30" class="box"/>'
        f'<text x="{186 + 40 * i}" y="80">0</text>'
        for i in range(2)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="280" height="140" '
        'viewBox="0 0 280 140" font-family="monospace" font-size="14">\n'
        "<style>.box{fill:#f3f6fb;stroke:#283246;stroke-width:1.5}"
        ".arrow{stroke:#283246;stroke-width:1.5;fill:none;marker-end:url(#head)}</style>\n"
        '<defs><marker id="head" markerWidth="8" markerHeight="8" refX="7" refY="4" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#283246"/></marker></defs>\n'
        '<text x="20" y="20">grid</text><text x="170" y="50">the one inner list</text>\n'
        f"{slots}\n{cells}\n</svg>\n"
    )


def main() -> None:
    (HERE / "tree.png").write_bytes(tree_png())
    (HERE / "shared-rows.svg").write_text(shared_rows_svg(), encoding="utf-8")


if __name__ == "__main__":
    main()
