"""Reading ``indicators.yaml`` into the indicator model, every problem as ``file:line:col``.

Called by the loader with the rest of the content, so section and source
references are checked once, with everything else.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from yaml.nodes import Node

from iduit.content.checker import URL, Checker, Ref
from iduit.content.indicators import (
    BAND_NAMES,
    INDICATOR_ID,
    INPUT_NAMES,
    SCHEMES,
    Code,
    Indicator,
    Level,
    Target,
    number_text,
)

# No benchmark or target is anywhere near this (syringes per person per year are in the
# hundreds); a bound keeps every sum, gap and scale-up step finite and readable.
LARGEST = 1_000_000


def _number(ck: Checker, node: Node, what: str) -> float | None:
    from yaml.nodes import ScalarNode

    if isinstance(node, ScalarNode) and node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        try:
            value = float(node.value.replace("_", ""))
        except ValueError:
            value = math.nan
        if math.isfinite(value) and 0 <= value <= LARGEST:
            return value
    ck.at(node, f"{what} must be a number from 0 to {LARGEST:,}")
    return None


def _flag(ck: Checker, node: Node, what: str) -> bool | None:
    from yaml.nodes import ScalarNode

    if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        return node.value.lower() in ("true", "yes", "on")
    ck.at(node, f"{what} must be true or false")
    return None


def _source_ref(ck: Checker, node: Node, what: str) -> str | None:
    value = ck.text(node, what)
    if value is not None:
        ck.refs.append(Ref("linked source", value, ck.where(node), what))
    return value


def _checked_url(ck: Checker, node: Node, what: str) -> str | None:
    value = ck.text(node, what)
    if value is not None and not URL.match(value):
        ck.at(node, f"{what} must be a web address starting with https:// or http://")
        return None
    return value


def _read_part(ck: Checker, node: Node, what: str) -> tuple[str, str] | None:
    fields = ck.mapping(node, ("input", "text"), (), what)
    if fields is None or len(fields) != 2:
        return None
    name, text = ck.text(fields["input"], f"'input' of {what}"), ck.text(fields["text"], f"'text' of {what}")
    if name is not None and name not in INPUT_NAMES:
        ck.at(fields["input"], f"unknown input '{name}' in {what} (inputs: {', '.join(INPUT_NAMES)})")
        return None
    return (name, text) if name is not None and text is not None else None


def _read_levels(ck: Checker, node: Node, what: str) -> tuple[Level, ...] | None:
    items = ck.sequence(node, what)
    levels: list[Level] = []
    before = len(ck.problems)
    for i, item in enumerate(items):
        first, last = i == 0, i == len(items) - 1
        required = ("name", "below") if first else ("name", "above") if last else ("name", "from", "to")
        fields = ck.mapping(item, required, (), f"a band of {what}")
        if fields is None or len(fields) != len(required):
            continue
        name = ck.text(fields["name"], "a band's 'name'")
        if name is not None and name not in BAND_NAMES:
            ck.at(fields["name"], f"band '{name}' must be one of {', '.join(BAND_NAMES)}")
        numbers = {k: _number(ck, v, f"'{k}' of band {name}") for k, v in fields.items() if k != "name"}
        if name is None or any(v is None for v in numbers.values()):
            continue
        lower = numbers.get("from", numbers.get("above"))
        upper = numbers.get("to", numbers.get("below"))
        previous = (
            levels[-1].upper if levels and levels[-1].upper is not None else (levels[-1].lower if levels else None)
        )
        if previous is not None and lower != previous:
            ck.at(item, f"band '{name}' must start where the band before it ends ({number_text(previous)})")
        if lower is not None and upper is not None and upper <= lower:
            ck.at(item, f"band '{name}' must end above where it starts")
        levels.append(Level(name, lower, upper))
    if len(items) < 2 and items:
        ck.at(node, f"{what} needs at least two bands")
    names = [level.name for level in levels]
    if len(set(names)) != len(names):
        ck.at(node, f"{what} names a band twice")
    return tuple(levels) if len(ck.problems) == before else None


def _read_targets(ck: Checker, node: Node, what: str) -> tuple[Target, ...] | None:
    targets: list[Target] = []
    before = len(ck.problems)
    for item in ck.sequence(node, what):
        fields = ck.mapping(item, ("value", "label", "source", "checked"), ("year",), f"a target of {what}")
        if fields is None:
            continue
        value = _number(ck, fields["value"], "a target's 'value'") if "value" in fields else None
        label = ck.text(fields["label"], "a target's 'label'") if "label" in fields else None
        source = _source_ref(ck, fields["source"], f"a target of {what}") if "source" in fields else None
        if "checked" in fields:
            _checked_url(ck, fields["checked"], "a target's 'checked'")
        year = ck.integer(fields["year"], "a target's 'year'") if "year" in fields else None
        if value is not None and label is not None and source is not None:
            targets.append(Target(value, label, source, year))
    return tuple(targets) if len(ck.problems) == before else None


def _read_code(ck: Checker, node: Node, scheme: str, what: str) -> Code | None:
    """A reporting scheme's code: the code, the scheme's name for it, and where it was read (source and page)."""
    fields = ck.mapping(node, ("code", "name", "source", "checked"), (), f"the {scheme} code of {what}")
    if fields is None or len(fields) != 4:
        return None
    code = ck.text(fields["code"], f"the {scheme} code of {what}")
    if code is not None and not SCHEMES[scheme].match(code):
        ck.at(fields["code"], f"'{code}' is not a {scheme} code (e.g. {'HIV.IND.9' if scheme == 'smart' else '3.9'})")
        code = None
    name = ck.text(fields["name"], f"the {scheme} name of {what}")
    source = _source_ref(ck, fields["source"], f"the {scheme} code of {what}")
    checked = _checked_url(ck, fields["checked"], f"'checked' of the {scheme} code of {what}")
    if code is None or name is None or source is None or checked is None:
        return None
    return Code(scheme, code, name, source, checked)


_KEYS = ("id", "name", "unit", "per", "share", "section", "numerator", "denominator")


def read_indicators(ck: Checker, path: Path) -> list[Indicator]:
    """Read and check an indicators file into ``ck`` (problems, and source and section references to check)."""
    root = ck.compose(path)
    nodes = ck.mapping(root, ("indicators",), (), "indicators.yaml") if root is not None else None
    if not nodes or "indicators" not in nodes:
        return []
    found: list[Indicator] = []
    seen: set[str] = set()
    for item in ck.sequence(nodes["indicators"], "indicators"):
        fields = ck.mapping(item, _KEYS, ("bands", "targets", "note", *SCHEMES), "an indicator")
        if fields is None or not set(_KEYS) <= set(fields):
            continue
        before = len(ck.problems)
        ident = ck.text(fields["id"], "indicator 'id'")
        what = f"indicator {ident or '?'}"
        if ident is not None and not INDICATOR_ID.match(ident):
            ck.at(fields["id"], f"indicator id '{ident}' must be lowercase words joined by _ (syringes_per_pwid)")
        elif ident in seen:
            ck.at(fields["id"], f"duplicate indicator id '{ident}'")
        seen.add(ident or "")
        name, unit = ck.text(fields["name"], f"'name' of {what}"), ck.text(fields["unit"], f"'unit' of {what}")
        per = ck.integer(fields["per"], f"'per' of {what}")
        if per is not None and per not in (1, 100, 1000):
            ck.at(fields["per"], f"'per' of {what} must be 1, 100 or 1000")
        share = _flag(ck, fields["share"], f"'share' of {what}")
        section = ck.text(fields["section"], f"'section' of {what}")
        if section is not None:
            ck.refs.append(Ref("section", section, ck.where(fields["section"]), what))
        numerator = _read_part(ck, fields["numerator"], f"the numerator of {what}")
        denominator = _read_part(ck, fields["denominator"], f"the denominator of {what}")
        levels: tuple[Level, ...] | None = ()
        bands_source: str | None = ""
        if "bands" in fields:
            bands = ck.mapping(fields["bands"], ("source", "checked", "levels"), (), f"the bands of {what}")
            if bands is not None and len(bands) == 3:
                bands_source = _source_ref(ck, bands["source"], f"the bands of {what}")
                _checked_url(ck, bands["checked"], f"'checked' of the bands of {what}")
                levels = _read_levels(ck, bands["levels"], f"the bands of {what}")
        targets = _read_targets(ck, fields["targets"], f"the targets of {what}") if "targets" in fields else ()
        note = ck.text(fields["note"], f"'note' of {what}") if "note" in fields else ""
        codes = tuple(_read_code(ck, fields[s], s, what) for s in SCHEMES if s in fields)
        if len(ck.problems) > before or None in (ident, name, unit, per, share, section, numerator, denominator):
            continue
        assert ident and name and unit and per and share is not None and section and numerator and denominator
        found.append(
            Indicator(
                ident,
                name,
                unit,
                per,
                share,
                section,
                numerator[0],
                numerator[1],
                denominator[0],
                denominator[1],
                levels or (),
                bands_source or "",
                targets or (),
                note or "",
                tuple(c for c in codes if c is not None),
            )
        )
    return found


# -- what the digest's text says about bands ------------------------------------------------

_BAND = r"(?P<band>low|medium|moderate|high)"
_EDGE = r"(?:below|under|fewer than|less than|above|over|more than|from|<|>)"
_NUM = r"(?P<n>\d+(?:[.,]\d+)?)"
# "low below 100", "| Low | fewer than 100 |", "medium 100-200", "high: > 40 %", and "below 100 as low"
_STATED = (
    re.compile(rf"\b{_BAND}\b[^.;\n]{{0,12}}?{_EDGE}\s*{_NUM}", re.IGNORECASE),
    re.compile(rf"\b{_BAND}\b[\s|:(]{{0,12}}{_NUM}\s*%?\s*(?:-|–|to)\s*\d", re.IGNORECASE),
    re.compile(rf"{_EDGE}\s*{_NUM}\s*%?\s*(?:as|is)\s+{_BAND}\b", re.IGNORECASE),
)


def stated_bands(text: str) -> set[tuple[str, float]]:
    """Each coverage band the text states with a figure: ('low', 100) for 'low: below 100'."""
    found = set()
    for pattern in _STATED:
        for m in pattern.finditer(text):
            band = m["band"].lower()
            found.add(("medium" if band == "moderate" else band, float(m["n"].replace(",", "."))))
    return found


def check_stated_bands(ck: Checker, indicators: list[Indicator], texts: list[tuple[str, str, str]]) -> None:
    """The digest may state a band's edge only as indicators.yaml lists it, with its checked source.

    ``texts`` holds (where, what, text) for each section and job aid. A band named with a
    figure that no indicator's checked bands have is a problem: the digest and ``iduit
    coverage`` would tell readers different things.
    """
    listed = {
        (level.name, edge)
        for ind in indicators
        for level in ind.levels
        for edge in (level.lower, level.upper)
        if edge is not None
    }
    for where, what, text in texts:
        for band, edge in sorted(stated_bands(text) - listed):
            ck.problems.append(
                f"{where}: {what} states a '{band}' coverage band at {number_text(edge)}, which no indicator's "
                "checked bands in indicators.yaml have (add them there with their source, or change the text)"
            )
