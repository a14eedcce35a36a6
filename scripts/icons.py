#!/usr/bin/env python3
"""Draws the app icons in public/icons/ (the favicon's diamond on the shop's
green) as PNG files, with nothing but the standard library: 4x4 supersampling
for smooth edges. Rerun after changing the design; the PNGs are committed.

    python3 scripts/icons.py
"""
import os
import struct
import zlib

GREEN = (0x1D, 0x4F, 0x3C)
GOLD = (0xE0, 0xA5, 0x26)
OUT = os.path.join(os.path.dirname(__file__), "..", "public", "icons")


def inside_rounded(x, y, radius):
    """Whether (x, y) in the unit square lies in a square with rounded corners."""
    cx = min(max(x, radius), 1 - radius)
    cy = min(max(y, radius), 1 - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2


def colour(x, y, maskable):
    """The colour at (x, y) of the unit square, or None for transparent."""
    # The diamond: half its width from the centre (smaller on a maskable
    # icon, whose outer 10% may be cut off by the launcher's mask).
    half = 0.2 if maskable else 0.28
    if abs(x - 0.5) + abs(y - 0.5) <= half:
        return GOLD
    if maskable or inside_rounded(x, y, 7 / 32):
        return GREEN
    return None


def draw(size, maskable):
    samples = 4
    rows = []
    for py in range(size):
        row = bytearray([0])  # filter: none
        for px in range(size):
            r = g = b = a = 0
            for sy in range(samples):
                for sx in range(samples):
                    c = colour((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size, maskable)
                    if c:
                        r, g, b, a = r + c[0], g + c[1], b + c[2], a + 1
            n = samples * samples
            row += bytes([r // a, g // a, b // a, 255 * a // n]) if a else bytes(4)
        rows.append(bytes(row))
    return png(size, b"".join(rows))


def png(size, raw):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for name, size, maskable in [
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("maskable-512.png", 512, True),
        ("apple-touch-icon.png", 180, True),
    ]:
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(draw(size, maskable))
        print("wrote", name)
