"""A designed sleeve for an album whose cover we do not have (or that cannot load): its title
and artist set in type on a colour and a pattern derived from the album itself.

Pure (no Django): `sleeve_svg(title, artist, key=album id, genre=...)` returns a small SVG
(about 1 KB) that scales crisply to any size. The same album always
gets the same sleeve (everything is drawn from a SHA-256 of its genre and id, never from
Python's salted `hash`), and two albums almost never share one: the genre picks a family of
hues, the id the hue within it, the lightness, the pattern, its scale and angle, and whether
the type sits at the top or the bottom.

Line breaks are computed here, from an estimate of each glyph's width in a bold sans-serif
(on the wide side, so a line never runs off the sleeve): the title is set as large as it fits
in at most four lines, a word too long for a line is split, and what still does not fit ends
in an ellipsis. Text is XML-escaped, and characters XML cannot carry are dropped, so the SVG
is valid both inline in a page and served on its own.
"""

import hashlib
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape

SIZE = 300  # the viewBox: every length below is in these units
MARGIN = 22
TEXT_WIDTH = SIZE - 2 * MARGIN
TITLE_SIZES = range(40, 15, -2)  # largest first
MAX_TITLE_LINES = 4
ARTIST_SIZE = 13
LINE_HEIGHT = 1.08
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"

# Genre words (as Discogs, MusicBrainz and the Rolling Stone list write them) and the centre
# of their hue family, in degrees; an album without a known genre takes any hue.
GENRE_HUES = (
    ("metal", 352),
    ("punk", 330),
    ("new wave", 300),
    ("rock", 12),
    ("blues", 222),
    ("jazz", 205),
    ("soul", 28),
    ("funk", 38),
    ("r&b", 20),
    ("hip hop", 46),
    ("hip-hop", 46),
    ("rap", 46),
    ("reggae", 128),
    ("electronic", 186),
    ("folk", 95),
    ("country", 62),
    ("classical", 48),
    ("latin", 8),
    ("soundtrack", 262),
    ("pop", 318),
)
HUE_SPREAD = 34  # ± degrees around a genre's hue
PATTERNS = ("stripes", "dots", "grid", "waves", "checks", "zigzag", "rings", "rays")
INKS = ("#fbf8f3", "#171513")  # paper white, press black: whichever reads better on the colour
INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Glyph widths in em of a bold sans-serif, rounded up.
NARROW = set("iIl.,:;'!|`")
SEMI = set('fjtr()[]{}-/" ')
WIDE = set("MWmw@%&")
WIDEST_FACE = 1.12


@dataclass(frozen=True)
class Design:
    background: str
    accent: str
    ink: str
    pattern: str
    top: bool  # the type sits at the top (else at the bottom)
    scale: int  # pattern tile size
    angle: int  # pattern rotation

    @property
    def signature(self):
        """What tells two sleeves apart, text aside (the browser test compares it)."""
        return f"{self.background} {self.accent} {self.pattern} {'top' if self.top else 'bottom'}"


def design(key, genre=""):
    """The album's colours, pattern and layout, from its id (`key`) and genre."""
    digest = hashlib.sha256(f"{(genre or '').strip().lower()}|{key}".encode()).digest()
    family = genre_hue(genre)
    hue = (family + digest[0] % (2 * HUE_SPREAD + 1) - HUE_SPREAD) % 360 if family is not None else digest[0] * 360 // 256
    saturation = 38 + digest[1] % 40
    lightness = (22, 34, 46, 62, 74)[digest[2] % 5]
    accent_hue = (hue + (28, 150, 180, 210, 332)[digest[3] % 5]) % 360
    accent_lightness = lightness + 22 if lightness < 50 else lightness - 26
    background = hsl_hex(hue, saturation, lightness)
    return Design(
        background=background,
        accent=hsl_hex(accent_hue, min(72, saturation + 10), accent_lightness),
        ink=max(INKS, key=lambda ink: contrast(ink, background)),
        pattern=PATTERNS[digest[4] % len(PATTERNS)],
        top=bool(digest[5] % 2),
        scale=14 + digest[6] % 4 * 6,
        angle=(0, 30, 45, 60, 90, 120, 135, 150)[digest[7] % 8],
    )


def genre_hue(genre):
    lowered = (genre or "").lower()
    return next((hue for word, hue in GENRE_HUES if word in lowered), None)


def hsl_hex(hue, saturation, lightness):
    """#rrggbb of an HSL colour (hue in degrees, the others in percent)."""
    light = lightness / 100
    chroma = (1 - abs(2 * light - 1)) * saturation / 100

    def channel(n):
        k = (n + hue / 30) % 12
        return round(255 * (light - chroma / 2 * max(-1, min(k - 3, 9 - k, 1))))

    return f"#{channel(0):02x}{channel(8):02x}{channel(4):02x}"


def contrast(one, other):
    """WCAG contrast ratio of two #rrggbb colours."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def luminance(hex_colour):
    """WCAG relative luminance of #rrggbb."""

    def linear(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


# --- type ---------------------------------------------------------------------------------------


def clean(text):
    return " ".join(INVALID_XML.sub("", text or "").split())


@lru_cache(maxsize=1024)
def glyph_width(char):
    if char in NARROW:
        return 0.3
    if char in SEMI:
        return 0.4
    if char in WIDE:
        return 0.92
    if char.isupper() or char.isdigit():
        return 0.74 if char.isupper() else 0.6
    if ord(char) > 0x2E7F:  # CJK and the like: a full em
        return 1.0
    return 0.62


def text_width(text, font_size):
    # DejaVu Sans Bold (what system-ui falls back to on Linux) is the widest likely face.
    return sum(glyph_width(char) for char in text) * font_size * WIDEST_FACE


def wrap(text, font_size, width=TEXT_WIDTH):
    """Lines of `text` no wider than `width` at `font_size`, broken between words; a word
    wider than a line is split (with a hyphen)."""
    lines, line = [], ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, font_size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        pieces = split_word(word, font_size, width)
        lines.extend(pieces[:-1])
        line = pieces[-1]
    if line:
        lines.append(line)
    return lines


def split_word(word, font_size, width):
    pieces = []
    while text_width(word, font_size) > width:
        cut = 1
        while cut < len(word) - 1 and text_width(word[: cut + 1] + "-", font_size) <= width:
            cut += 1
        pieces.append(word[:cut] + "-")
        word = word[cut:]
    return pieces + [word]


@lru_cache(maxsize=4096)
def fit_title(title, max_lines=MAX_TITLE_LINES):
    """(font size, lines): the largest size at which the title takes at most `max_lines`;
    at the smallest size, the lines past `max_lines` are cut and the last one ends in "…"."""
    longest = max(title.split(" "), key=lambda word: text_width(word, 1))
    for size in TITLE_SIZES:  # whole words first: a smaller size rather than a split word
        lines = wrap(title, size)
        if len(lines) <= max_lines and text_width(longest, size) <= TEXT_WIDTH:
            return size, lines
    for size in TITLE_SIZES:
        lines = wrap(title, size)
        if len(lines) <= max_lines:
            return size, lines
    size = TITLE_SIZES[-1]
    lines = wrap(title, size)
    return size, lines[: max_lines - 1] + [ellipsize(" ".join(lines[max_lines - 1 :]), size)]


def ellipsize(text, font_size, width=TEXT_WIDTH):
    if text_width(text, font_size) <= width:
        return text
    while text and text_width(text + "…", font_size) > width:
        text = text[:-1]
    return text.rstrip(" -") + "…"


# --- drawing ------------------------------------------------------------------------------------


def sleeve_svg(title, artist, *, key, genre="", standalone=False):
    """The album's sleeve as SVG markup. `key` (the album id) also names the pattern, so
    several sleeves can sit in one page; `standalone` adds the XML prolog for a file."""
    title, artist = clean(title) or "Untitled", clean(artist)
    look = design(key, genre)
    size, lines = fit_title(title)
    artist_line = ellipsize(artist.upper(), ARTIST_SIZE, TEXT_WIDTH / 1.12) if artist else ""
    block = (ARTIST_SIZE + 10 if artist_line else 0) + size * LINE_HEIGHT * len(lines)
    panel = round(block + 2 * MARGIN)
    pattern_id = "sleeve-" + re.sub(r"[^\w-]", "", str(key))
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>' if standalone else "",
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" class="sleeve" role="img"'
            f' data-sleeve="{look.signature}" font-family="{FONT}">'
        ),
        f"<title>{escape(title)}{' — ' + escape(artist) if artist else ''}</title>",
        f'<rect width="{SIZE}" height="{SIZE}" fill="{look.background}"/>',
        pattern(look, pattern_id, panel),
        typeset(look, lines, size, artist_line, panel),
        "</svg>",
    ]
    return "".join(parts)


def pattern(look, pattern_id, panel):
    """The pattern over the whole sleeve: the type's panel, drawn next, covers its side."""
    if look.pattern in ("rings", "rays"):
        return _drawn(look, SIZE - panel)
    return f'{_tile(look, pattern_id)}<rect width="{SIZE}" height="{SIZE}" fill="url(#{pattern_id})"/>'


def _tile(look, pattern_id):
    s, a, half = look.scale, look.accent, look.scale / 2
    shapes = {
        "stripes": f'<rect width="{half:g}" height="{s}" fill="{a}"/>',
        "dots": f'<circle cx="{half:g}" cy="{half:g}" r="{s / 5:g}" fill="{a}"/>',
        "grid": f'<path d="M0 0H{s}M0 0V{s}" stroke="{a}" stroke-width="2.5"/>',
        "waves": f'<path d="M0 {half:g}Q{s / 4:g} 0 {half:g} {half:g}T{s} {half:g}" fill="none" stroke="{a}" stroke-width="2.5"/>',
        "checks": f'<path d="M0 0H{half:g}V{half:g}H0ZM{half:g} {half:g}H{s}V{s}H{half:g}Z" fill="{a}"/>',
        "zigzag": f'<path d="M0 {s * 0.7:g}L{half:g} {s * 0.3:g}L{s} {s * 0.7:g}" fill="none" stroke="{a}" stroke-width="3"/>',
    }[look.pattern]
    return (
        f'<defs><pattern id="{pattern_id}" width="{s}" height="{s}" patternUnits="userSpaceOnUse"'
        f' patternTransform="rotate({look.angle})">{shapes}</pattern></defs>'
    )


def _drawn(look, free):
    """Rings (grooves round a point) or rays (a sunburst) centred in the part of the sleeve
    the type leaves free (`free` units high), left or right by the album's angle."""
    cx = SIZE * (0.78 if look.angle % 60 else 0.22)
    cy = (SIZE - free * 0.45) if look.top else free * 0.45
    if look.pattern == "rings":
        step = look.scale * 1.2
        rings = "".join(f'<circle cx="{cx:.0f}" cy="{cy:.0f}" r="{step * n:.0f}"/>' for n in range(1, int(SIZE / step) + 2))
        return f'<g fill="none" stroke="{look.accent}" stroke-width="3">{rings}</g>'
    rays = 9 + look.scale // 6  # wedges, each half of its slice
    wedges = "".join(f"M{cx:.0f} {cy:.0f}L{_polar(cx, cy, n, rays, 0)}L{_polar(cx, cy, n, rays, 0.5)}Z" for n in range(rays))
    return f'<path d="{wedges}" fill="{look.accent}"/>'


def _polar(cx, cy, n, rays, half):
    angle = 2 * math.pi * (n + half) / rays
    return f"{cx + 450 * math.cos(angle):.0f} {cy + 450 * math.sin(angle):.0f}"


def typeset(look, lines, size, artist_line, panel):
    """The panel the type sits on (the background colour) with an accent rule along its
    edge, the artist, then the title."""
    top = 0 if look.top else SIZE - panel
    rule = panel - 4 if look.top else top
    y = top + MARGIN
    parts = [
        f'<rect y="{top}" width="{SIZE}" height="{panel}" fill="{look.background}"/>',
        f'<rect y="{rule}" width="{SIZE}" height="4" fill="{look.accent}"/>',
    ]
    if artist_line:
        y += ARTIST_SIZE
        parts.append(
            f'<text x="{MARGIN}" y="{y}" font-size="{ARTIST_SIZE}" font-weight="600" letter-spacing="1.4"'
            f' fill="{look.ink}" fill-opacity=".82">{escape(artist_line)}</text>'
        )
        y += 10
    spans = []
    for line in lines:
        y += size * LINE_HEIGHT
        spans.append(f'<tspan x="{MARGIN}" y="{y - size * 0.22:.0f}">{escape(line)}</tspan>')
    parts.append(f'<text font-size="{size}" font-weight="800" fill="{look.ink}">{"".join(spans)}</text>')
    return "".join(parts)
