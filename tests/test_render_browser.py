"""The story page as a person sees it: Debian's headless Chromium renders it at phone width.

Needs ``/usr/bin/chromium`` (``apt-get install -y chromium``); skipped cleanly without it.
The screenshot is checked with a small stdlib PNG decoder (no Pillow).
"""

from __future__ import annotations

import os
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from fixtures_brief import HOSTILE_QUOTE, hostile_brief, seed_brief
from test_render import SECTION_IDS, Page

from summarizer.output.render import to_html

CHROMIUM = Path("/usr/bin/chromium")
PHONE = (412, 2400)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK), reason="needs Debian's chromium at /usr/bin/chromium"),
]


def chromium(profile: Path, *args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium offline with a throwaway profile."""
    cmd = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        "--hide-scrollbars", "--force-device-scale-factor=1", f"--user-data-dir={profile}", *args,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def decode_png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """(width, height, bytes per pixel, rows) of an 8-bit, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    assert header is not None, "PNG without IHDR"
    width, height, depth, color_type, _, _, interlace = header
    assert depth == 8 and interlace == 0, f"unsupported PNG: depth {depth}, interlace {interlace}"
    bpp = {0: 1, 2: 3, 4: 2, 6: 4}[color_type]
    raw, stride = zlib.decompress(b"".join(idat)), width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        at = y * (stride + 1)
        kind, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
        if kind == 1:  # Sub
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:  # Up
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif kind == 3:  # Average
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif kind == 4:  # Paeth
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def luma(row: bytes, bpp: int) -> list[int]:
    """Per-pixel brightness 0..255 (alpha ignored)."""
    if bpp < 3:
        return list(row[::bpp])
    return [(299 * row[i] + 587 * row[i + 1] + 114 * row[i + 2]) // 1000 for i in range(0, len(row), bpp)]


@pytest.fixture(scope="module")
def pages(tmp_path_factory, seed_cluster):
    root = tmp_path_factory.mktemp("page")
    clean, hostile = root / "story.html", root / "hostile.html"
    clean.write_text(to_html(seed_brief(seed_cluster.articles())), encoding="utf-8")
    hostile.write_text(to_html(hostile_brief(seed_cluster.articles())), encoding="utf-8")
    return root, clean, hostile


def test_rendered_dom_has_the_key_elements(pages, seed_cluster):
    root, clean, _ = pages
    dom = chromium(root / "profile-dom", "--dump-dom", clean.as_uri()).stdout
    page = Page(dom)
    for section in SECTION_IDS:
        assert section in page.ids, section
    brief = seed_brief(seed_cluster.articles())
    assert page.text("headline") == brief.title
    assert page.title == brief.title
    assert all(f"src-{n}" in page.ids for n in range(1, len(brief.sources) + 1))
    assert "Images are a serious thing." in page.text("perspectives")


def test_injected_script_does_not_run(pages, seed_cluster):
    root, _, hostile = pages
    dom = chromium(root / "profile-hostile", "--dump-dom", hostile.as_uri()).stdout
    page = Page(dom)
    # The script would retitle the page and append <p id="injected">; the browser shows it as text instead.
    assert page.title == hostile_brief(seed_cluster.articles()).title
    assert "injected" not in page.ids
    assert not any(tag in ("script", "b", "img") for tag, _ in page.tags)
    assert HOSTILE_QUOTE in page.text("perspectives")


def test_phone_screenshot_is_complete_and_not_blank(pages):
    root, clean, _ = pages
    shot = root / "page.png"
    chromium(root / "profile-shot", f"--window-size={PHONE[0]},{PHONE[1]}", f"--screenshot={shot}", clean.as_uri())
    assert shot.exists() and shot.stat().st_size > 10_000
    width, height, bpp, rows = decode_png(shot.read_bytes())
    assert (width, height) == PHONE

    # Sample every 4th row: enough to see text everywhere, fast in pure Python.
    sampled = [luma(rows[y], bpp) for y in range(0, height, 4)]
    pixels = [v for row in sampled for v in row]
    mean = sum(pixels) / len(pixels)
    variance = sum((v - mean) ** 2 for v in pixels) / len(pixels)
    assert variance > 200, f"screenshot looks blank (variance {variance:.1f})"

    background = max(set(sampled[0]), key=sampled[0].count)
    inked = [any(abs(v - background) > 60 for v in row) for row in sampled]
    # Text runs down the whole phone-sized viewport, starting with the headline near the top.
    assert any(inked[: 200 // 4]), "no headline near the top"
    for band in range(0, len(inked), len(inked) // 6):
        assert any(inked[band:band + len(inked) // 6]), f"empty band at y≈{band * 4}"
    assert sum(inked) / len(inked) > 0.3
    # Nothing is wider than the phone: no horizontal scrollbar means the column fits (checked via the right edge).
    right_edge = [row[-1] for row in sampled]
    assert max(abs(v - background) for v in right_edge) < 40, "content touches the right edge"
