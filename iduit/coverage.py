"""Programme indicators against published benchmarks: syringes per person who injects, OST coverage and more.

What each indicator measures (numerator, denominator), its benchmark bands
and targets, and their sources live in content (``data/indicators.yaml``),
checked here in the loader's style (``file:line:col: message``). What a
programme counts (the inputs: people who inject drugs, syringes given out,
...) is fixed here, since each input is a command-line option. Numbers are
read strictly: thousands separators that could be misread are refused, never
guessed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iduit.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Group
    from yaml.nodes import Node

    from iduit.loader import _Checker
    from iduit.model import Content, Source


@dataclass(frozen=True)
class Input:
    name: str  # the key in an inputs file
    option: str  # the command-line option
    label: str  # what to count, for the template and help
    noun: str  # what a scale-up plan adds more of


INPUTS: tuple[Input, ...] = (
    Input("pwid", "--pwid", "Estimated number of people who inject drugs (the size estimate)", "people"),
    Input(
        "syringes",
        "--syringes",
        "Needles and syringes distributed in the last 12 months, all channels",
        "needles and syringes",
    ),
    Input(
        "nsp_reached_monthly",
        "--nsp-reached",
        "People who inject drugs in contact with a needle and syringe programme at least once a month",
        "people reached monthly",
    ),
    Input(
        "opioid_dependent_pwid",
        "--opioid-dependent",
        "Estimated number of opioid-dependent people who inject drugs",
        "people",
    ),
    Input(
        "ost_clients",
        "--ost",
        "Opioid-dependent people who inject drugs receiving OST on a given date",
        "OST places",
    ),
    Input(
        "hiv_tested",
        "--hiv-tested",
        "People who inject drugs tested for HIV in the last 12 months who know their result",
        "people tested",
    ),
    Input("pwid_with_hiv", "--pwid-with-hiv", "People who inject drugs living with HIV (estimated)", "people"),
    Input("on_art", "--on-art", "People who inject drugs living with HIV who are receiving ART", "people on ART"),
    Input(
        "hcv_tested",
        "--hcv-tested",
        "People who inject drugs tested for hepatitis C in the last 12 months",
        "people tested",
    ),
    Input(
        "hcv_diagnosed",
        "--hcv-diagnosed",
        "People who inject drugs diagnosed with chronic hepatitis C (known to the programme)",
        "people",
    ),
    Input(
        "hcv_treated",
        "--hcv-treated",
        "People who inject drugs who started hepatitis C treatment in the last 12 months",
        "people treated",
    ),
    Input("naloxone_kits", "--naloxone-kits", "Naloxone kits distributed in the last 12 months", "naloxone kits"),
)
INPUT_NAMES = tuple(i.name for i in INPUTS)
BAND_NAMES = ("low", "medium", "high")
INDICATOR_ID = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_COUNT = 10**12
NO_BENCHMARK = "no published benchmark"


# -- reading numbers ------------------------------------------------------------------

_SEPARATORS = (",", " ", "'", "’", "_", ".")
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


def parse_count(text: str, what: str) -> int:
    """A whole, non-negative number as people write it; UsageError when it is not one or could be misread.

    Read: 1500000, 1 500 000, 1'500'000, 1_500_000, 1,500,000 and 1.500.000
    (two or more groups of three: no decimal reading is possible), 1500.0.
    Refused: 1,500 and 1.500 (a thousand and a half, or one and a half?),
    mixed separators, signs, decimals, exponents, leading zeros, text.
    """
    s = text.strip().translate(_SPACES)
    shown = text.strip()
    if not s:
        raise UsageError(f"{what} is empty; give a number or leave it out")
    if len(s) > 40:
        raise UsageError(f"{what}: '{shown[:40]}…' is too long to be a number")
    if s[0] in "-−–":
        raise UsageError(f"{what}: '{shown}' is negative; counts cannot be below zero")
    if re.fullmatch(r"[0-9]+", s):
        return _checked(s, shown, what)
    decimal = re.fullmatch(r"([0-9]+)\.([0-9]+)", s)
    if decimal:
        whole, fraction = decimal.groups()
        if len(fraction) == 3 and len(whole) <= 3 and whole[0] != "0":
            raise UsageError(
                f"{what}: '{shown}' is ambiguous (a thousand and more, or a number with decimals?); "
                f"write it without separators, e.g. {whole}{fraction}"
            )
        if set(fraction) == {"0"}:
            return _checked(whole, shown, what)
        raise UsageError(f"{what}: '{shown}' is not a whole number; count whole people, syringes or kits")
    for sep in _SEPARATORS:
        if re.fullmatch(rf"[1-9][0-9]{{0,2}}(?:{re.escape(sep)}[0-9]{{3}})+", s):
            if sep in ",." and s.count(sep) == 1:
                raise UsageError(
                    f"{what}: '{shown}' is ambiguous ('{sep}' is a decimal mark in some countries and a thousands "
                    f"separator in others); write it without separators, e.g. {s.replace(sep, '')}"
                )
            return _checked(s.replace(sep, ""), shown, what)
    if re.fullmatch(r"[0-9]+,[0-9]+", s):
        raise UsageError(
            f"{what}: '{shown}' has a decimal comma; counts are whole numbers (write them without separators)"
        )
    if re.fullmatch(r"[0-9.]+[eE][+-]?[0-9]+", s):
        raise UsageError(f"{what}: '{shown}' is in scientific notation; write the number out in full")
    if s[0] == "+":
        raise UsageError(f"{what}: '{shown}': write the number without a sign")
    if re.fullmatch(r"[0-9][0-9 ,.'’_]*[0-9]", s):
        raise UsageError(
            f"{what}: '{shown}' mixes or misplaces separators; write it as digits only, or with one kind of "
            "separator between groups of three (1 500 000)"
        )
    raise UsageError(f"{what}: '{shown}' is not a number")


def _checked(digits: str, shown: str, what: str) -> int:
    if len(digits) > 1 and digits[0] == "0":
        raise UsageError(f"{what}: '{shown}' starts with a zero; write the number without leading zeros")
    value = int(digits)
    if value > MAX_COUNT:
        raise UsageError(f"{what}: '{shown}' is larger than any programme count ({MAX_COUNT:,})")
    return value


# -- indicators (content) -------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    """A benchmark band: below ``upper``, from ``lower`` to ``upper`` (both included), or above ``lower``."""

    name: str
    lower: float | None
    upper: float | None

    def holds(self, value: float) -> bool:
        if self.lower is None:
            return self.upper is not None and value < self.upper
        if self.upper is None:
            return value > self.lower
        return self.lower <= value <= self.upper

    def describe(self, unit: str) -> str:
        if self.lower is None:
            return f"{self.name}: below {_amount(unit, self.upper)}"
        if self.upper is None:
            return f"{self.name}: above {_amount(unit, self.lower)}"
        return f"{self.name}: {_num(self.lower)} to {_amount(unit, self.upper)}"


@dataclass(frozen=True)
class Target:
    value: float
    label: str
    source: str
    year: int | None = None


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    unit: str
    per: int
    share: bool  # the numerator is part of the denominator: more than 100 % cannot be right
    section: str
    numerator: str  # an input name
    numerator_text: str
    denominator: str
    denominator_text: str
    levels: tuple[Level, ...] = ()
    bands_source: str = ""
    targets: tuple[Target, ...] = ()
    note: str = ""


def _number(ck: _Checker, node: Node, what: str) -> float | None:
    from yaml.nodes import ScalarNode

    if isinstance(node, ScalarNode) and node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        try:
            value = float(node.value.replace("_", ""))
        except ValueError:
            value = math.nan
        if math.isfinite(value) and value >= 0:
            return value
    ck.at(node, f"{what} must be a number, zero or more")
    return None


def _flag(ck: _Checker, node: Node, what: str) -> bool | None:
    from yaml.nodes import ScalarNode

    if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        return node.value.lower() in ("true", "yes", "on")
    ck.at(node, f"{what} must be true or false")
    return None


def _source_ref(ck: _Checker, node: Node, what: str) -> str | None:
    from iduit.loader import _Ref

    value = ck.text(node, what)
    if value is not None:
        ck.refs.append(_Ref("linked source", value, ck.where(node), what))
    return value


def _checked_url(ck: _Checker, node: Node, what: str) -> str | None:
    from iduit.loader import URL

    value = ck.text(node, what)
    if value is not None and not URL.match(value):
        ck.at(node, f"{what} must be a web address starting with https:// or http://")
        return None
    return value


def _read_part(ck: _Checker, node: Node, what: str) -> tuple[str, str] | None:
    fields = ck.mapping(node, ("input", "text"), (), what)
    if fields is None or len(fields) != 2:
        return None
    name, text = ck.text(fields["input"], f"'input' of {what}"), ck.text(fields["text"], f"'text' of {what}")
    if name is not None and name not in INPUT_NAMES:
        ck.at(fields["input"], f"unknown input '{name}' in {what} (inputs: {', '.join(INPUT_NAMES)})")
        return None
    return (name, text) if name is not None and text is not None else None


def _read_levels(ck: _Checker, node: Node, what: str) -> tuple[Level, ...] | None:
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
            ck.at(item, f"band '{name}' must start where the band before it ends ({_num(previous)})")
        if lower is not None and upper is not None and upper <= lower:
            ck.at(item, f"band '{name}' must end above where it starts")
        levels.append(Level(name, lower, upper))
    if len(items) < 2 and items:
        ck.at(node, f"{what} needs at least two bands")
    names = [level.name for level in levels]
    if len(set(names)) != len(names):
        ck.at(node, f"{what} names a band twice")
    return tuple(levels) if len(ck.problems) == before else None


def _read_targets(ck: _Checker, node: Node, what: str) -> tuple[Target, ...] | None:
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


_KEYS = ("id", "name", "unit", "per", "share", "section", "numerator", "denominator")


def read_indicators(ck: _Checker, path: Path) -> list[Indicator]:
    """Read and check an indicators file into ``ck`` (problems, and source and section references to check)."""
    from iduit.loader import _Ref

    root = ck.compose(path)
    nodes = ck.mapping(root, ("indicators",), (), "indicators.yaml") if root is not None else None
    if not nodes or "indicators" not in nodes:
        return []
    found: list[Indicator] = []
    seen: set[str] = set()
    for item in ck.sequence(nodes["indicators"], "indicators"):
        fields = ck.mapping(item, _KEYS, ("bands", "targets", "note"), "an indicator")
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
            ck.refs.append(_Ref("section", section, ck.where(fields["section"]), what))
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
            )
        )
    return found


def load_indicators(data_dir: Path, content: Content) -> list[Indicator]:
    """The indicators of a content folder, checked; ContentError lists every problem."""
    from iduit.errors import ContentError
    from iduit.loader import _Checker

    path = data_dir / "indicators.yaml"
    if not path.is_file():
        raise UsageError(f"this content has no indicators file ({path}); the coverage calculator needs one")
    ck = _Checker(data_dir)
    indicators = read_indicators(ck, path)
    sections = {s.id for s in content.sections()}
    for ref in ck.refs:
        if ref.kind == "section" and ref.target not in sections:
            ck.problems.append(f"{ref.where}: {ref.owner} refers to section '{ref.target}', which does not exist")
        elif ref.kind == "linked source" and not (ref.target in content.sources and content.sources[ref.target].url):
            ck.problems.append(
                f"{ref.where}: {ref.owner} cites source '{ref.target}', which is not in sources.yaml with a url"
            )
    if ck.problems:
        raise ContentError(ck.problems)
    return indicators


# -- inputs ---------------------------------------------------------------------------


@dataclass
class Inputs:
    """A programme's figures: the area as a whole and, optionally, one set per site or region."""

    values: dict[str, int] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)  # input -> "file:line:col" or "--option", for messages
    sites: list[tuple[str, dict[str, int], dict[str, str]]] = field(default_factory=list)
    area: str = ""
    year: int | None = None
    target_year: int | None = None


def read_inputs(path: Path) -> Inputs:
    """An inputs file (see ``template``): every number read strictly; UsageError names the file, line and column."""
    import os

    from yaml.nodes import MappingNode, ScalarNode

    from iduit.loader import _Checker

    real = Path(os.path.realpath(path))
    if not real.is_file():
        hint = f"; make one with: iduit coverage template -o {path}" if not real.exists() else ""
        raise UsageError(f"{path} is not an inputs file{hint}")
    ck = _Checker(real.parent)
    root = ck.compose(real)
    if root is None:
        raise UsageError("; ".join(ck.problems))
    if not isinstance(root, MappingNode):
        raise UsageError(
            f"{ck.where(root)}: an inputs file is a list of 'name: number' lines (see iduit coverage template)"
        )
    inputs = Inputs()

    def numbers(mapping: MappingNode, into: dict[str, int], where: dict[str, str], allowed: tuple[str, ...]) -> None:
        for key_node, value_node in mapping.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else ""
            place = ck.where(value_node)
            if key not in allowed:
                raise UsageError(f"{ck.where(key_node)}: unknown input '{key}' (inputs: {', '.join(allowed)})")
            if key in where:
                raise UsageError(f"{ck.where(key_node)}: '{key}' is given twice")
            if not isinstance(value_node, ScalarNode):
                raise UsageError(f"{place}: {key} must be a number")
            if value_node.tag == "tag:yaml.org,2002:null" or not value_node.value.strip():
                continue  # left blank: not counted
            if key in ("name", "area"):
                into_text[key] = value_node.value.strip()
                where[key] = place
                continue
            into[key] = parse_count(value_node.value, f"{place}: {key}")
            where[key] = place

    into_text: dict[str, str] = {}
    top = (*INPUT_NAMES, "area", "year", "target_year")
    sites_node = None
    plain = MappingNode(
        root.tag, [(k, v) for k, v in root.value if not (isinstance(k, ScalarNode) and k.value == "sites")]
    )
    sites_node = next((v for k, v in root.value if isinstance(k, ScalarNode) and k.value == "sites"), None)
    numbers(plain, inputs.values, inputs.where, top)
    inputs.area = into_text.get("area", "")
    for key in ("year", "target_year"):
        if key in inputs.values:
            year = inputs.values.pop(key)
            inputs.where.pop(key)
            if not 1990 <= year <= 2100:
                raise UsageError(f"{key}: {year} is not a plausible year")
            setattr(inputs, key, year)
    if sites_node is not None:
        from yaml.nodes import SequenceNode

        if not isinstance(sites_node, SequenceNode):
            raise UsageError(
                f"{ck.where(sites_node)}: 'sites' is a list, one entry per site or region, each with a name"
            )
        for item in sites_node.value:
            if not isinstance(item, MappingNode):
                raise UsageError(f"{ck.where(item)}: each site is a set of 'name: number' lines with a name")
            values: dict[str, int] = {}
            where: dict[str, str] = {}
            into_text.pop("name", None)
            numbers(item, values, where, ("name", *INPUT_NAMES))
            name = into_text.get("name", "")
            if not name:
                raise UsageError(f"{ck.where(item)}: each site needs a name")
            if any(name == other for other, _, _ in inputs.sites):
                raise UsageError(f"{ck.where(item)}: there are two sites called '{name}'")
            inputs.sites.append((name, values, where))
    return inputs


def merge_options(inputs: Inputs, options: dict[str, str | None], year: int | None, target_year: int | None) -> None:
    """Command-line options, read as strictly as the file, and taking precedence over it."""
    by_name = {i.name: i for i in INPUTS}
    for name, raw in options.items():
        if raw is not None:
            inputs.values[name] = parse_count(raw, by_name[name].option)
            inputs.where[name] = by_name[name].option
    for key, value in (("year", year), ("target_year", target_year)):
        if value is not None:
            setattr(inputs, key, value)


# -- computing ------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """One indicator worked out for one place."""

    indicator: Indicator
    value: float
    numerator: int
    denominator: int
    level: Level | None
    next_level: Level | None
    gap: float | None
    implausible: bool


@dataclass(frozen=True)
class Step:
    """A linear scale-up towards the next band (or target) by the target year."""

    indicator: Indicator
    goal: str
    threshold: float
    now: int
    needed: int
    per_year: int
    milestones: tuple[tuple[int, int], ...]
    noun: str


@dataclass(frozen=True)
class CoverageResult:
    area: str
    values: tuple[Value, ...]
    missing: tuple[Indicator, ...]  # not computed: an input is missing
    sources: dict[str, Source]
    sites: tuple[tuple[str, tuple[Value, ...]], ...] = ()
    plan: tuple[Step, ...] = ()
    year: int | None = None
    target_year: int | None = None
    summed: tuple[str, ...] = ()  # inputs worked out as the sum of the sites


def _place(value: float, levels: Sequence[Level]) -> tuple[Level | None, Level | None, float | None]:
    for i, level in enumerate(levels):
        if level.holds(value):
            if i + 1 < len(levels):
                boundary = level.upper if level.upper is not None else level.lower
                assert boundary is not None
                return level, levels[i + 1], round(boundary - value, 2)
            return level, None, None
    return None, None, None


def _compute(
    indicators: Sequence[Indicator], values: dict[str, int], where: dict[str, str], label: str
) -> tuple[list[Value], list[Indicator]]:
    out: list[Value] = []
    missing: list[Indicator] = []
    for ind in indicators:
        numerator, denominator = values.get(ind.numerator), values.get(ind.denominator)
        if numerator is None:
            missing.append(ind)
            continue
        if denominator is None:
            option = next(i.option for i in INPUTS if i.name == ind.denominator)
            raise UsageError(
                f"{label}{where.get(ind.numerator, ind.numerator)}: {ind.numerator} is given, but "
                f"{ind.name} also needs {ind.denominator} ({option}: {ind.denominator_text})"
            )
        if denominator == 0:
            raise UsageError(
                f"{label}{where.get(ind.denominator, ind.denominator)}: {ind.denominator} is zero, so "
                f"{ind.name} cannot be worked out; give the estimate, or leave out {ind.numerator}"
            )
        value = numerator / denominator * ind.per
        level, next_level, gap = _place(value, ind.levels)
        out.append(
            Value(ind, value, numerator, denominator, level, next_level, gap, ind.share and numerator > denominator)
        )
    return out, missing


def _goal(v: Value) -> tuple[str, float] | None:
    """The next band, else the lowest target above the value: how to name it, and where it starts."""
    if v.next_level is not None and v.next_level.lower is not None:
        band = v.next_level.describe(v.indicator.unit).split(": ", 1)[1]
        return f"the {v.next_level.name} band ({band})", v.next_level.lower
    above = [t for t in v.indicator.targets if t.value > v.value]
    if v.level is None and above:
        best = min(above, key=lambda t: t.value)
        return f"{_amount(v.indicator.unit, best.value)} ({best.label})", best.value
    return None


def _plan(values: Sequence[Value], year: int, target_year: int) -> list[Step]:
    years = target_year - year
    steps: list[Step] = []
    noun = {i.name: i.noun for i in INPUTS}
    for v in values:
        goal = _goal(v)
        if goal is None:
            continue
        text, threshold = goal
        needed = math.ceil(threshold * v.denominator / v.indicator.per - 1e-9)
        extra = max(0, needed - v.numerator)
        per_year = math.ceil(extra / years)
        milestones = tuple((year + k, min(needed, v.numerator + per_year * k)) for k in range(1, years + 1))
        steps.append(
            Step(v.indicator, text, threshold, v.numerator, needed, per_year, milestones, noun[v.indicator.numerator])
        )
    return steps


def compute(indicators: Sequence[Indicator], inputs: Inputs, content: Content) -> CoverageResult:
    """Every indicator there are inputs for, for the area and each site; UsageError on input that cannot be right."""
    values = dict(inputs.values)
    summed: list[str] = []
    if inputs.sites:
        for name in INPUT_NAMES:
            if name not in values and all(name in site for _, site, _ in inputs.sites):
                values[name] = sum(site[name] for _, site, _ in inputs.sites)
                summed.append(name)
    where = dict(inputs.where) | {name: f"{name} (the sum of the sites)" for name in summed}
    computed, missing = _compute(indicators, values, where, "")
    sites = []
    for name, site_values, site_where in inputs.sites:
        site_computed, _ = _compute(indicators, site_values, site_where, f"site {name}: ")
        sites.append((name, tuple(site_computed)))
    if not computed and not any(v for _, v in sites):
        raise UsageError(
            "nothing to work out: give at least a numerator and its denominator, e.g. --pwid 12000 --syringes 1500000 "
            "(iduit coverage template -o inputs.yaml writes a file to fill in)"
        )
    plan: list[Step] = []
    if inputs.target_year is not None:
        if inputs.year is None:
            raise UsageError(
                "a scale-up plan needs the year the figures are for: add --year YYYY (or year: in the file)"
            )
        if inputs.target_year <= inputs.year:
            raise UsageError(
                f"the target year ({inputs.target_year}) must come after the year of the figures ({inputs.year})"
            )
        plan = _plan(computed, inputs.year, inputs.target_year)
    cited = {ref for ind in indicators for ref in (ind.bands_source, *(t.source for t in ind.targets)) if ref}
    return CoverageResult(
        area=inputs.area,
        values=tuple(computed),
        missing=tuple(missing),
        sources={k: content.sources[k] for k in sorted(cited) if k in content.sources},
        sites=tuple(sites),
        plan=tuple(plan),
        year=inputs.year,
        target_year=inputs.target_year,
        summed=tuple(summed),
    )


# -- output ---------------------------------------------------------------------------


def _amount(unit: str, value: float | None) -> str:
    """A figure in an indicator's unit: '50 %' for a percentage, '200' otherwise."""
    return f"{_num(value)} %" if unit.startswith("%") else _num(value)


def _num(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _value_text(v: Value) -> str:
    return f"{v.value:,.1f}" + (" %" if v.indicator.per == 100 and "%" in v.indicator.unit else "")


def _source_data(source: Source | None, ident: str) -> dict[str, Any] | None:
    if source is None:
        return None if not ident else {"id": ident}
    data: dict[str, Any] = {"id": source.id, "title": source.title, "publisher": source.publisher, "year": source.year}
    if source.url:
        data["url"] = source.url
    return data


def _indicator_data(v: Value, sources: dict[str, Source]) -> dict[str, Any]:
    ind = v.indicator
    return {
        "id": ind.id,
        "name": ind.name,
        "value": round(v.value, 2),
        "unit": ind.unit,
        "band": v.level.name if v.level else None,
        "next_band": v.next_level.name if v.next_level else None,
        "gap_to_next": v.gap,
        "numerator": v.numerator,
        "denominator": v.denominator,
        "source": _source_data(sources.get(ind.bands_source), ind.bands_source) if ind.levels else None,
    }


def warnings(result: CoverageResult) -> list[tuple[str, str]]:
    """(indicator id, message) for figures that cannot be right: a part larger than its whole."""
    out = []
    for label, values in (("", result.values), *((f"site {n}: ", vs) for n, vs in result.sites)):
        for v in values:
            if v.implausible:
                out.append(
                    (
                        v.indicator.id,
                        f"{label}{v.indicator.name}: the numerator ({v.numerator:,}) is larger than the denominator "
                        f"({v.denominator:,}); check both figures (a size estimate that is too low is the usual cause)",
                    )
                )
    return out


def target_rows(v: Value) -> list[tuple[Target, bool, float]]:
    """Each target of the indicator: met or not, and how far off (0 when met)."""
    return [(t, v.value >= t.value, round(max(0.0, t.value - v.value), 2)) for t in v.indicator.targets]


def result_data(result: CoverageResult) -> dict[str, Any]:
    """The documented JSON shape, plus targets, warnings, sites and a plan when there are any."""
    data: dict[str, Any] = {"indicators": [_indicator_data(v, result.sources) for v in result.values]}
    targets = [
        {
            "indicator": v.indicator.id,
            "label": t.label,
            "year": t.year,
            "value": t.value,
            "met": met,
            "gap": gap,
            "source": _source_data(result.sources.get(t.source), t.source),
        }
        for v in result.values
        for t, met, gap in target_rows(v)
    ]
    if targets:
        data["targets"] = targets
    found = warnings(result)
    if found:
        data["warnings"] = [{"indicator": i, "message": m} for i, m in found]
    if result.missing:
        data["not_computed"] = [{"id": i.id, "needs": [i.numerator, i.denominator]} for i in result.missing]
    if result.sites:
        data["sites"] = [
            {"name": n, "indicators": [_indicator_data(v, result.sources) for v in vs]} for n, vs in result.sites
        ]
    if result.plan:
        data["plan"] = {
            "from_year": result.year,
            "to_year": result.target_year,
            "steps": [
                {
                    "indicator": s.indicator.id,
                    "goal": s.goal,
                    "now": s.now,
                    "needed": s.needed,
                    "per_year": s.per_year,
                    "milestones": [{"year": y, "numerator": n} for y, n in s.milestones],
                }
                for s in result.plan
            ],
        }
    return data


def _band_text(v: Value) -> str:
    if not v.indicator.levels:
        return NO_BENCHMARK
    return v.level.name if v.level else "outside the bands"


def _bar_text(v: Value) -> str:
    return f"{_value_text(v)} ({v.level.name})" if v.level else _value_text(v)


def _next_text(v: Value) -> str:
    if not v.indicator.levels:
        return ""
    if v.next_level is None:
        return "top band"
    return f"{_num(v.gap)} to {v.next_level.name}"


def _cite(result: CoverageResult, ident: str) -> str:
    source = result.sources.get(ident)
    if source is None:
        return ident
    return f"{source.cite()} {source.url}" if source.url else source.cite()


def _with_unit(v: Value) -> str:
    unit = v.indicator.unit
    return f"{v.value:,.1f} {unit}" if unit.startswith("%") else f"{_value_text(v)} {unit}"


def _citation_lines(v: Value, result: CoverageResult) -> list[str]:
    ind = v.indicator
    lines = []
    if ind.levels:
        bands = "; ".join(level.describe(ind.unit) for level in ind.levels)
        lines.append(f"Bands ({ind.unit}): {bands}. Source: {_cite(result, ind.bands_source)}")
    else:
        lines.append("No published benchmark is given for this indicator; the value is shown without a band.")
    for t, met, gap in target_rows(v):
        when = f" by {t.year}" if t.year else ""
        state = "met" if met else f"{_amount(ind.unit, gap)} to go"
        lines.append(
            f"Target {_amount(ind.unit, t.value)}{when} ({t.label}): {state}. Source: {_cite(result, t.source)}"
        )
    return lines


def _definition(ind: Indicator) -> str:
    scale = " × 100" if ind.per == 100 else f" × {ind.per}" if ind.per != 1 else ""
    return f"{ind.numerator_text} ÷ {ind.denominator_text}{scale}"


def render_markdown(result: CoverageResult, *, level: int = 1) -> str:
    from iduit.programme import md_cell, md_text

    h = "#" * level
    lines = [f"{h} Coverage{': ' + md_text(result.area) if result.area else ''}", ""]
    if result.summed:
        lines += [f"Figures for the whole area are the sums of the sites for: {', '.join(result.summed)}.", ""]
    lines += ["| Indicator | Value | Band | To the next band |", "| --- | --- | --- | --- |"]
    for v in result.values:
        lines.append(
            f"| {md_cell(v.indicator.name)} | {md_cell(_with_unit(v))} "
            f"| {md_cell(_band_text(v))} | {md_cell(_next_text(v))} |"
        )
    lines.append("")
    for _, message in warnings(result):
        lines += [f"> **Implausible:** {md_text(message)}", ""]
    lines += [f"{h}# Definitions, benchmarks and sources", ""]
    for v in result.values:
        ind = v.indicator
        lines += [f"**{md_text(ind.name)}** ({md_text(ind.unit)}; see section {md_text(ind.section)})", ""]
        lines += [f"- Definition: {md_text(_definition(ind))} = {_num(v.numerator)} ÷ {_num(v.denominator)}"]
        lines += [f"- {md_text(line)}" for line in _citation_lines(v, result)]
        if ind.note:
            lines.append(f"- Note: {md_text(ind.note)}")
        lines.append("")
    if result.sites:
        lines += [f"{h}# By site", ""]
        names = [v.indicator for v in result.values] or [v.indicator for _, vs in result.sites for v in vs]
        shown = list(dict.fromkeys(names))
        lines += ["| Site | " + " | ".join(md_cell(i.name) for i in shown) + " |", "| --- " * (len(shown) + 1) + "|"]
        for site, values in result.sites:
            by_id = {v.indicator.id: v for v in values}
            cells = [f"{_value_text(by_id[i.id])} ({_band_text(by_id[i.id])})" if i.id in by_id else "" for i in shown]
            lines.append(f"| {md_cell(site)} | " + " | ".join(md_cell(c) for c in cells) + " |")
        lines.append("")
    if result.plan:
        lines += [f"{h}# Scale-up plan, {result.year} to {result.target_year}", ""]
        for s in result.plan:
            lines.append(
                f"- **{md_text(s.indicator.name)}**: to reach {md_text(s.goal)}, "
                f"go from {_num(s.now)} to {_num(s.needed)} "
                f"{md_text(s.noun)}: {_num(s.per_year)} more each year ("
                + ", ".join(f"{y}: {_num(n)}" for y, n in s.milestones)
                + ")."
            )
        lines += ["", "The plan assumes the size estimate stays the same.", ""]
    if result.missing:
        lines += [f"Not worked out (inputs missing): {md_text(', '.join(i.name for i in result.missing))}.", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _zones(ind: Indicator, maximum: float) -> list[Any]:
    from iduit.programme import Zone

    return [
        Zone(level.lower or 0.0, level.upper if level.upper is not None else maximum, level.name)
        for level in ind.levels
    ]


def html_body(result: CoverageResult, *, level: int = 1) -> str:
    from iduit.programme import Bar, bar_chart, esc

    h, h2 = f"h{level}", f"h{level + 1}"
    parts = [f"<{h}>Coverage{': ' + esc(result.area) if result.area else ''}</{h}>"]
    if result.summed:
        parts.append(
            f"<p>Figures for the whole area are the sums of the sites for: {esc(', '.join(result.summed))}.</p>"
        )
    parts += [f'<p class="warn">Implausible: {esc(message)}</p>' for _, message in warnings(result)]
    for v in result.values:
        ind = v.indicator
        top = max(
            [
                v.value,
                *(lv.lower or 0.0 for lv in ind.levels),
                *(lv.upper or 0.0 for lv in ind.levels),
                *(t.value for t in ind.targets),
            ]
        )
        maximum = top * 1.15 if top > 0 else 1.0
        marks = [
            (t.value, f"{_amount(ind.unit, t.value)}{' by ' + str(t.year) if t.year else ''}") for t in ind.targets
        ]
        chart = bar_chart(
            f"{ind.name}: {_with_unit(v)}",
            [Bar(result.area or "This programme", v.value, _bar_text(v))],
            maximum=maximum,
            zones=_zones(ind, maximum),
            marks=marks,
        )
        items = [
            f"<li>Definition: {esc(_definition(ind))} = {esc(_num(v.numerator))} ÷ {esc(_num(v.denominator))}</li>"
        ]
        items += [f"<li>{esc(line)}</li>" for line in _citation_lines(v, result)]
        if ind.note:
            items.append(f"<li>Note: {esc(ind.note)}</li>")
        parts.append(f"<{h2}>{esc(ind.name)}</{h2}>\n{chart}\n<ul>{''.join(items)}</ul>")
    if result.sites:
        parts.append(f"<{h2}>By site</{h2}>")
        for ind in dict.fromkeys(v.indicator for _, vs in result.sites for v in vs):
            values = [(n, next((v for v in vs if v.indicator.id == ind.id), None)) for n, vs in result.sites]
            bars = [Bar(n, v.value if v else None, _bar_text(v) if v else "not worked out") for n, v in values]
            top = max(
                [
                    *(v.value for _, v in values if v),
                    *(lv.lower or 0.0 for lv in ind.levels),
                    *(t.value for t in ind.targets),
                ]
            )
            maximum = top * 1.15 if top > 0 else 1.0
            parts.append(bar_chart(f"{ind.name} by site", bars, maximum=maximum, zones=_zones(ind, maximum)))
    if result.plan:
        rows = "".join(
            f"<tr><td>{esc(s.indicator.name)}</td><td>{esc(s.goal)}</td><td>{esc(_num(s.now))}</td><td>{esc(_num(s.needed))}</td>"
            f"<td>{esc(_num(s.per_year))} {esc(s.noun)}</td></tr>"
            for s in result.plan
        )
        parts.append(
            f"<{h2}>Scale-up plan, {result.year} to {result.target_year}</{h2}>"
            "<table><thead><tr><th>Indicator</th><th>Goal</th>"
            f"<th>Now</th><th>Needed</th><th>More each year</th></tr></thead><tbody>{rows}</tbody></table>"
            '<p class="muted">The plan assumes the size estimate stays the same.</p>'
        )
    if result.missing:
        parts.append(
            f'<p class="muted">Not worked out (inputs missing): {esc(", ".join(i.name for i in result.missing))}.</p>'
        )
    return "\n".join(parts)


def render_html(result: CoverageResult) -> str:
    from iduit.programme import page

    title = f"Coverage{': ' + result.area if result.area else ''}"
    return page(title, html_body(result) + "\n<footer><p>Made with iduit.</p></footer>")


def coverage_view(result: CoverageResult, *, plain: bool = False) -> Group:
    """The indicators as a table for the terminal, with bands, targets, sources and warnings."""
    from rich import box
    from rich.console import Group, RenderableType
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from iduit.render import HEADING

    parts: list[RenderableType] = [Text(f"Coverage{': ' + result.area if result.area else ''}", style="bold underline")]
    if result.summed:
        parts.append(
            Text(f"Figures for the whole area are the sums of the sites for: {', '.join(result.summed)}.", style="dim")
        )
    table = Table(box=box.ASCII if plain else box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for name, justify in (("Indicator", "left"), ("Value", "right"), ("Band", "left"), ("To the next band", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for v in result.values:
        band = "none published" if not v.indicator.levels else _band_text(v)
        table.add_row(Text(v.indicator.name), Text(_value_text(v)), Text(band), Text(_next_text(v)))
    parts.append(table)
    for _, message in warnings(result):
        parts.append(Text(f"Implausible: {message}", style="bold"))
    for v in result.values:
        parts += [Text(""), Text(v.indicator.name, style=HEADING)]
        lines = [f"{_definition(v.indicator)} = {_num(v.numerator)} ÷ {_num(v.denominator)}"]
        lines += _citation_lines(v, result)
        lines += [f"Note: {v.indicator.note}"] if v.indicator.note else []
        parts += [Padding(Text(line), (0, 0, 0, 2)) for line in lines]
    for site, values in result.sites:
        parts += [Text(""), Text(f"Site: {site}", style=HEADING)]
        lines = [f"{v.indicator.name}: {_value_text(v)} ({_band_text(v)})" for v in values] or ["nothing to work out"]
        parts += [Padding(Text(line), (0, 0, 0, 2)) for line in lines]
    if result.plan:
        heading = f"Scale-up plan, {result.year} to {result.target_year} (the size estimate staying the same)"
        parts += [Text(""), Text(heading, style=HEADING)]
        for s in result.plan:
            line = (
                f"{s.indicator.name}: to reach {s.goal}, go from {_num(s.now)} to {_num(s.needed)} {s.noun}: "
                f"{_num(s.per_year)} more each year ({', '.join(f'{y}: {_num(n)}' for y, n in s.milestones)})"
            )
            parts.append(Padding(Text(line), (0, 0, 0, 2)))
    if result.missing:
        missing = ", ".join(i.name for i in result.missing)
        parts += [Text(""), Text(f"Not worked out (inputs missing): {missing}", style="dim")]
    return Group(*parts)


def template() -> str:
    """A commented inputs file to fill in."""
    lines = [
        "# Inputs for: iduit coverage FILE",
        "# Fill in what you have; leave the rest blank. Counts are whole numbers: 1500000 or 1 500 000",
        "# (1,500 and 1.500 are refused: a thousand and a half, or one and a half?).",
        "# Use the same area and period for every figure: a size estimate for the city goes with the city's",
        "# syringes. Every indicator is worked out only when both its numerator and denominator are given.",
        "",
        "area:          # a name for the place, e.g. Example City",
        "year:          # the year these figures are for, e.g. 2024 (needed for a scale-up plan)",
        "target_year:   # optional: plan a linear scale-up to the next band by this year, e.g. 2027",
        "",
    ]
    width = max(len(i.name) for i in INPUTS) + 2
    for i in INPUTS:
        lines.append(f"{i.name + ':':<{width}} # {i.label} ({i.option})")
    lines += [
        "",
        "# Optional: one entry per site or region, each with a name and the same inputs.",
        "# Inputs left out above are then the sum of the sites.",
        "# sites:",
        "#   - name: North district",
        "#     pwid: 4000",
        "#     syringes: 500000",
        "#   - name: South district",
        "#     pwid: 8000",
        "#     syringes: 600000",
    ]
    return "\n".join(lines) + "\n"
