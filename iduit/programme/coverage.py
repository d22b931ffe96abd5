"""Programme indicators against published benchmarks: syringes per person who injects, OST coverage and more.

The indicators themselves are content (``iduit.content.indicators``, read and
checked with the rest and kept in the store); this module reads a
programme's figures (an inputs file or options) and works the indicators
out. Numbers are read strictly: thousands separators that could be misread
are refused, never guessed. Nothing here renders: ``iduit.outline.programme``
turns a result into a document.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iduit.clock import today
from iduit.content.indicators import INPUT_NAMES, INPUTS, SCHEMES, Indicator, Level, Target, amount
from iduit.content.text import clean_text
from iduit.errors import UsageError
from iduit.language.messages import tr

if TYPE_CHECKING:
    from iduit.content.model import Content, Source


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
        raise UsageError(tr("{what} is empty; give a number or leave it out").format(what=what))
    if len(s) > 40:
        raise UsageError(tr("{what}: '{value}…' is too long to be a number").format(what=what, value=shown[:40]))
    if s[0] in "-−–":
        raise UsageError(
            tr("{what}: '{shown}' is negative; counts cannot be below zero").format(what=what, shown=shown)
        )
    if re.fullmatch(r"[0-9]+", s):
        return _checked(s, shown, what)
    decimal = re.fullmatch(r"([0-9]+)\.([0-9]+)", s)
    if decimal:
        whole, fraction = decimal.groups()
        if len(fraction) == 3 and len(whole) <= 3 and whole[0] != "0":
            raise UsageError(
                tr(
                    "{what}: '{shown}' is ambiguous (a thousand and more, or a number with "
                    "decimals?); write it without separators, e.g. {whole}{fraction}"
                ).format(what=what, shown=shown, whole=whole, fraction=fraction)
            )
        if set(fraction) == {"0"}:
            return _checked(whole, shown, what)
        raise UsageError(
            tr("{what}: '{shown}' is not a whole number; count whole people, syringes or kits").format(
                what=what, shown=shown
            )
        )
    for sep in _SEPARATORS:
        if re.fullmatch(rf"[1-9][0-9]{{0,2}}(?:{re.escape(sep)}[0-9]{{3}})+", s):
            if sep in ",." and s.count(sep) == 1:
                raise UsageError(
                    tr(
                        "{what}: '{shown}' is ambiguous ('{sep}' is a decimal mark in some "
                        "countries and a thousands separator in others); write it without "
                        "separators, e.g. {replace}"
                    ).format(what=what, shown=shown, sep=sep, replace=s.replace(sep, ""))
                )
            return _checked(s.replace(sep, ""), shown, what)
    if re.fullmatch(r"[0-9]+,[0-9]+", s):
        raise UsageError(
            tr(
                "{what}: '{shown}' has a decimal comma; counts are whole numbers (write them without separators)"
            ).format(what=what, shown=shown)
        )
    if re.fullmatch(r"[0-9.]+[eE][+-]?[0-9]+", s):
        raise UsageError(
            tr("{what}: '{shown}' is in scientific notation; write the number out in full").format(
                what=what, shown=shown
            )
        )
    if s[0] == "+":
        raise UsageError(tr("{what}: '{shown}': write the number without a sign").format(what=what, shown=shown))
    if re.fullmatch(r"[0-9][0-9 ,.'’_]*[0-9]", s):
        raise UsageError(
            tr(
                "{what}: '{shown}' mixes or misplaces separators; write it as digits "
                "only, or with one kind of separator between groups of three (1 500 "
                "000)"
            ).format(what=what, shown=shown)
        )
    raise UsageError(tr("{what}: '{shown}' is not a number").format(what=what, shown=shown))


def _checked(digits: str, shown: str, what: str) -> int:
    if len(digits) > 1 and digits[0] == "0":
        raise UsageError(
            tr("{what}: '{shown}' starts with a zero; write the number without leading zeros").format(
                what=what, shown=shown
            )
        )
    value = int(digits)
    if value > MAX_COUNT:
        raise UsageError(
            tr("{what}: '{shown}' is larger than any programme count ({MAX_COUNT:,})").format(
                what=what, shown=shown, MAX_COUNT=MAX_COUNT
            )
        )
    return value


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

    from iduit.content.checker import Checker
    from iduit.files import require_file

    real = Path(os.path.realpath(path))
    require_file(
        path,
        missing=tr("{path} does not exist; make one with: iduit coverage template -o {path}"),
        not_a_file=tr("{path} is not an inputs file"),
    )
    ck = Checker(real.parent)
    root = ck.compose(real)
    if root is None:
        raise UsageError("; ".join(ck.problems))
    if not isinstance(root, MappingNode):
        raise UsageError(
            tr("{where}: an inputs file is a list of 'name: number' lines (see iduit coverage template)").format(
                where=ck.where(root)
            )
        )
    inputs = Inputs()

    def numbers(mapping: MappingNode, into: dict[str, int], where: dict[str, str], allowed: tuple[str, ...]) -> None:
        for key_node, value_node in mapping.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else ""
            place = ck.where(value_node)
            if key not in allowed:
                raise UsageError(
                    tr("{where}: unknown input '{key}' (inputs: {join})").format(
                        where=ck.where(key_node), key=key, join=", ".join(allowed)
                    )
                )
            if key in where:
                raise UsageError(tr("{where}: '{key}' is given twice").format(where=ck.where(key_node), key=key))
            if not isinstance(value_node, ScalarNode):
                if key in ("name", "area"):
                    raise UsageError(tr("{place}: {key} must be text on one line").format(place=place, key=key))
                raise UsageError(tr("{place}: {key} must be a number").format(place=place, key=key))
            if value_node.tag == "tag:yaml.org,2002:null" or not value_node.value.strip():
                continue  # left blank: not counted
            if key in ("name", "area"):
                # the user's own text reaches the terminal: cleaned like every other text read in
                into_text[key] = clean_text(value_node.value, keep_newlines=False).strip()
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
    sites_nodes = [(k, v) for k, v in root.value if isinstance(k, ScalarNode) and k.value == "sites"]
    if len(sites_nodes) > 1:
        raise UsageError(tr("{where}: 'sites' is given twice").format(where=ck.where(sites_nodes[1][0])))
    sites_node = sites_nodes[0][1] if sites_nodes else None
    numbers(plain, inputs.values, inputs.where, top)
    inputs.area = into_text.get("area", "")
    for key in ("year", "target_year"):
        if key in inputs.values:
            year = inputs.values.pop(key)
            inputs.where.pop(key)
            if not 1990 <= year <= 2100:
                raise UsageError(tr("{key}: {year} is not a plausible year").format(key=key, year=year))
            setattr(inputs, key, year)
    if sites_node is not None:
        from yaml.nodes import SequenceNode

        if not isinstance(sites_node, SequenceNode):
            raise UsageError(
                tr("{where}: 'sites' is a list, one entry per site or region, each with a name").format(
                    where=ck.where(sites_node)
                )
            )
        names: set[str] = set()
        for item in sites_node.value:
            if not isinstance(item, MappingNode):
                raise UsageError(
                    tr("{where}: each site is a set of 'name: number' lines with a name").format(where=ck.where(item))
                )
            values: dict[str, int] = {}
            where: dict[str, str] = {}
            into_text.pop("name", None)
            numbers(item, values, where, ("name", *INPUT_NAMES))
            name = into_text.get("name", "")
            if not name:
                raise UsageError(tr("{where}: each site needs a name").format(where=ck.where(item)))
            if name in names:  # a set: a file of 100,000 sites is checked in linear time
                raise UsageError(
                    tr("{where}: there are two sites called '{name}'").format(where=ck.where(item), name=name)
                )
            names.add(name)
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
    made: str = ""  # the day the figures were worked out (2026-12-05)
    # inputs given for the whole area whose sites add up to something else: (input, area figure, sites' sum)
    differ: tuple[tuple[str, int, int], ...] = ()
    passed: tuple[tuple[Indicator, Target], ...] = ()  # dated targets already past when a plan starts


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
                tr(
                    "{label}{get}: {numerator} is given, but {name} also needs "
                    "{denominator} ({option}: {denominator_text})"
                ).format(
                    label=label,
                    get=where.get(ind.numerator, ind.numerator),
                    numerator=ind.numerator,
                    name=ind.name,
                    denominator=ind.denominator,
                    option=option,
                    denominator_text=ind.denominator_text,
                )
            )
        if denominator == 0:
            raise UsageError(
                tr(
                    "{label}{get}: {denominator} is zero, so {name} cannot be worked out; "
                    "give the estimate, or leave out {numerator}"
                ).format(
                    label=label,
                    get=where.get(ind.denominator, ind.denominator),
                    denominator=ind.denominator,
                    name=ind.name,
                    numerator=ind.numerator,
                )
            )
        value = numerator / denominator * ind.per
        level, next_level, gap = _place(value, ind.levels)
        out.append(
            Value(ind, value, numerator, denominator, level, next_level, gap, ind.share and numerator > denominator)
        )
    return out, missing


def ahead(target: Target, year: int) -> bool:
    """A target that can still be aimed at in ``year``: undated, or dated that year or later."""
    return target.year is None or target.year >= year


def current_year(made: str, year: int | None = None) -> int:
    """The year a plan starts from: the year of the figures, or this year (``made``) if that is later."""
    return max(int(made[:4]), year or 0)


def _goal(v: Value, year: int) -> tuple[str, float] | None:
    """The next band, else the lowest target above the value still ahead in ``year``: its name, and where it starts."""
    if v.next_level is not None and v.next_level.lower is not None:
        band = v.next_level.describe(v.indicator.unit).split(": ", 1)[1]
        return tr("the {band} band ({range})").format(band=tr(v.next_level.name), range=band), v.next_level.lower
    above = [t for t in v.indicator.targets if t.value > v.value and ahead(t, year)]
    if v.level is None and above:
        best = min(above, key=lambda t: t.value)
        when = " " + tr("by {year}").format(year=best.year) if best.year else ""
        return f"{amount(v.indicator.unit, best.value)}{when} ({best.label})", best.value
    return None


def _plan(values: Sequence[Value], now: int, year: int, target_year: int) -> list[Step]:
    """Steps from ``year`` to ``target_year``, each towards the next band or a target still ahead in ``now``."""
    years = target_year - year
    steps: list[Step] = []
    noun = {i.name: i.noun for i in INPUTS}
    for v in values:
        goal = _goal(v, now)
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
    differ: list[tuple[str, int, int]] = []
    if inputs.sites:
        for name in INPUT_NAMES:
            if all(name in site for _, site, _ in inputs.sites):
                total = sum(site[name] for _, site, _ in inputs.sites)
                if name not in values:
                    values[name] = total
                    summed.append(name)
                elif values[name] != total:
                    differ.append((name, values[name], total))
    where = dict(inputs.where) | {name: f"{name} (the sum of the sites)" for name in summed}
    computed, missing = _compute(indicators, values, where, "")
    sites = []
    for name, site_values, site_where in inputs.sites:
        site_computed, _ = _compute(indicators, site_values, site_where, f"site {name}: ")
        sites.append((name, tuple(site_computed)))
    if not computed and not any(v for _, v in sites):
        raise UsageError(
            tr(
                "nothing to work out: give at least a numerator and its denominator, "
                "e.g. --pwid 12000 --syringes 1500000 (iduit coverage template -o "
                "inputs.yaml writes a file to fill in)"
            )
        )
    plan: list[Step] = []
    if inputs.target_year is not None:
        if inputs.year is None:
            raise UsageError(
                tr("a scale-up plan needs the year the figures are for: add --year YYYY (or year: in the file)")
            )
        if inputs.target_year <= inputs.year:
            raise UsageError(
                tr("the target year ({target_year}) must come after the year of the figures ({year})").format(
                    target_year=inputs.target_year, year=inputs.year
                )
            )
        plan = _plan(computed, current_year(today(), inputs.year), inputs.year, inputs.target_year)
    start = current_year(today(), inputs.year) if inputs.target_year is not None else None
    passed = tuple(
        (v.indicator, t)
        for v in computed
        for t in v.indicator.targets
        if start is not None and not ahead(t, start) and v.value < t.value
    )
    cited = {
        ref
        for ind in indicators
        for ref in (ind.bands_source, *(t.source for t in ind.targets), *(c.source for c in ind.codes))
        if ref
    }
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
        made=today(),
        differ=tuple(differ),
        passed=passed,
    )


# -- output ---------------------------------------------------------------------------


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
        "codes": _codes_data(ind, sources),
    }


def _codes_data(ind: Indicator, sources: dict[str, Source]) -> dict[str, Any]:
    """The indicator's code in each reporting scheme, or None where no code has been checked."""
    out: dict[str, Any] = {}
    for scheme in SCHEMES:
        code = ind.code(scheme)
        out[scheme] = (
            None
            if code is None
            else {
                "code": code.code,
                "name": code.name,
                "checked": code.checked,
                "source": _source_data(sources.get(code.source), code.source),
            }
        )
    return out


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
    data: dict[str, Any] = {"area": result.area} if result.area else {}
    data["made"] = result.made
    data["indicators"] = [_indicator_data(v, result.sources) for v in result.values]
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
    if result.differ:
        data["sites_disagree"] = [{"input": n, "area": area, "sites_sum": total} for n, area, total in result.differ]
    if result.missing:
        data["not_computed"] = [{"id": i.id, "needs": [i.numerator, i.denominator]} for i in result.missing]
    if result.sites:
        data["sites"] = [
            {"name": n, "indicators": [_indicator_data(v, result.sources) for v in vs]} for n, vs in result.sites
        ]
    if result.plan or result.passed:
        data["plan"] = {
            "from_year": result.year,
            "to_year": result.target_year,
            "passed_targets": [
                {"indicator": ind.id, "label": t.label, "year": t.year, "value": t.value} for ind, t in result.passed
            ],
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
