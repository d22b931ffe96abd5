"""Shared pieces of the programme tools (checklist, assess, coverage): formats, pages, charts, cells, saving.

A library module: it never prints. The checklist, the self-assessment and the
coverage calculator write Markdown and HTML of their own shape (forms with
boxes, score tables, bar charts), so they share one page frame, one inline
SVG bar chart and one way of choosing a format and writing a file here.
"""

from __future__ import annotations

import contextlib
import html
import os
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from iduit.errors import ExportError, UsageError

# Pages load nothing from anywhere: a copy on a USB stick behaves like the original.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
EXTENSIONS = {"markdown": ("md", "markdown"), "html": ("html", "htm"), "csv": ("csv",), "json": ("json",)}

BASE_CSS = """
:root{color-scheme:light dark}
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:52rem;margin:2rem auto;
padding:0 1rem;line-height:1.5}
h1,h2,h3{line-height:1.25} .muted{color:#666} table{border-collapse:collapse;width:100%}
td,th{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}
svg text{font-family:inherit;font-size:12px;fill:currentColor} .warn{font-weight:bold}
footer{margin-top:3rem;font-size:.9rem;color:#666;border-top:1px solid #999}
@media print{body{margin:0;max-width:none}}
"""


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def page(title: str, body: str, css: str = "") -> str:
    """A standalone HTML page: no scripts, no remote loads, prints well."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>{esc(title)}</title>\n<style>{BASE_CSS}{css}</style>\n</head>\n"
        f"<body>\n<main>\n{body.rstrip()}\n</main>\n</body>\n</html>\n"
    )


def md_text(text: str) -> str:
    """Plain text made safe as one line of Markdown (the registry's own escaping)."""
    from iduit.formats.markdown import inline

    return inline(text)


def md_cell(text: str) -> str:
    """Plain text safe inside a Markdown table cell."""
    return md_text(text).replace("|", "\\|")


# -- charts ----------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: a label, a value (None: nothing to show) and the text printed after it."""

    label: str
    value: float | None
    shown: str


@dataclass(frozen=True)
class Zone:
    """A shaded stretch of the scale behind the bars (a benchmark band), with its name."""

    start: float
    end: float
    name: str


def bar_chart(
    title: str,
    bars: Sequence[Bar],
    *,
    maximum: float,
    zones: Sequence[Zone] = (),
    marks: Sequence[tuple[float, str]] = (),
) -> str:
    """A horizontal bar chart as inline SVG (no script, no fonts, no network): bars, shaded zones, marked lines."""
    label_width, plot_width, value_width, row = 200, 360, 170, 26
    zone_row = 14 if zones else 0  # zone names on the first line, marked values on the next
    top = 6 + (16 if zones else 0) + (16 if marks else 0)
    width = label_width + plot_width + value_width
    height = top + row * max(1, len(bars)) + 6
    scale = plot_width / maximum if maximum > 0 else 0.0

    def x(value: float) -> float:
        return label_width + max(0.0, min(value, maximum)) * scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{esc(title)}"><title>{esc(title)}</title>'
    ]
    shades = ("#f4cccc", "#fff2cc", "#d9ead3", "#cfe2f3")
    for i, zone in enumerate(zones):
        left, right = x(zone.start), x(zone.end)
        parts.append(
            f'<rect x="{left:.1f}" y="{top - 2}" width="{max(0.0, right - left):.1f}" height="{height - top}" '
            f'fill="{shades[i % len(shades)]}" fill-opacity="0.6"/>'
            f'<text x="{(left + right) / 2:.1f}" y="{zone_row}" text-anchor="middle">{esc(zone.name)}</text>'
        )
    for value, name in marks:
        at = x(value)
        parts.append(
            f'<line x1="{at:.1f}" y1="{top - 4}" x2="{at:.1f}" y2="{height}" stroke="#333" stroke-dasharray="4 3"/>'
            f'<text x="{at:.1f}" y="{top - 8}" text-anchor="middle">{esc(name)}</text>'
        )
    for i, bar in enumerate(bars):
        y = top + i * row
        parts.append(f'<text x="{label_width - 6}" y="{y + 17}" text-anchor="end">{esc(_clip(bar.label, 30))}</text>')
        parts.append(
            f'<rect x="{label_width}" y="{y + 5}" width="{plot_width}" height="16" fill="#999" fill-opacity="0.15"/>'
        )
        if bar.value is not None:
            parts.append(
                f'<rect x="{label_width}" y="{y + 5}" width="{x(bar.value) - label_width:.1f}" height="16" '
                'fill="#3d6fb6"/>'
            )
        parts.append(f'<text x="{label_width + plot_width + 6}" y="{y + 17}">{esc(bar.shown)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def text_bar(value: float | None, maximum: float, width: int = 20, *, plain: bool = False) -> str:
    """A bar of block characters (# when plain) for the terminal."""
    if value is None or maximum <= 0:
        return ""
    filled = round(max(0.0, min(value, maximum)) / maximum * width)
    full, empty = ("#", ".") if plain else ("█", "░")
    return full * filled + empty * (width - filled)


# -- spreadsheet cells -------------------------------------------------------------

# A cell starting with one of these is a formula to a spreadsheet (CSV injection);
# a leading apostrophe keeps it text, and reading it back removes exactly that apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def csv_cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_value(cell: str) -> str:
    """The text a cell written by ``csv_cell`` stands for."""
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1:].startswith(_FORMULA_START) else cell


# -- formats and files ---------------------------------------------------------------


def choose_format(name: str | None, output: str | None, allowed: Sequence[str], default: str) -> str:
    """The format from --format and the output file's extension; they must agree when both are given."""
    by_path = None
    if output and output != "-":
        suffix = Path(output).suffix.lower().lstrip(".")
        by_path = next((f for f in allowed if suffix in EXTENSIONS[f]), None)
    if name is None:
        return by_path or default
    wanted = name.strip().lower().lstrip(".")
    chosen = next((f for f in allowed if wanted == f or wanted in EXTENSIONS[f]), None)
    if chosen is None:
        raise UsageError(f"unknown format '{name}' (choose {', '.join(allowed)})")
    if by_path is not None and by_path != chosen:
        raise UsageError(f"--format {chosen} does not match the file name {output} ({by_path})")
    return chosen


def deliver(text: str, output: str | None, *, force: bool = False) -> str | None:
    """Write ``text`` to the file ``output`` (atomically, never clobbering without ``force``).

    Returns the text back when it belongs on standard output (no file, or ``-``).
    """
    if output is None or output == "-":
        return text
    from iduit.export import write_new_file

    write_new_file(Path(output), text, force=force)
    return None


def save_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a crash or Ctrl-C leaves the old file or the new one, whole.

    The text goes to a temporary file in the same folder, is flushed to disk,
    then renamed over the old file; the file keeps its permissions. A link is
    followed, so the file it points to is the one replaced.
    """
    target = Path(os.path.realpath(path))
    try:
        info = target.stat()
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    else:
        if not stat.S_ISREG(info.st_mode):
            raise ExportError(f"{path} is not a regular file; iduit only writes files")
        mode = stat.S_IMODE(info.st_mode)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise ExportError(f"cannot write to {target.parent}: {exc.strerror or exc}") from exc
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        _sync_folder(target.parent)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows it."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
