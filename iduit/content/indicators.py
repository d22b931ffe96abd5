"""Programme indicators as content: what each measures, its benchmark bands and targets, and their sources.

Read from ``indicators.yaml`` with the rest of the content (``iduit.content.indicator_file``,
called by the loader), checked there once, and kept in the model and the store, so the coverage
calculator never reads YAML. What a programme counts (the inputs) is fixed
here, since each input is a command-line option and a key of an inputs file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


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
# The reporting schemes an indicator can name its code in, and what a code in each looks like:
# UNAIDS Global AIDS Monitoring numbers its indicators (3.9); the WHO SMART HIV guidelines
# number theirs HIV.IND.9.
SCHEMES: dict[str, re.Pattern[str]] = {
    "gam": re.compile(r"^[1-9][0-9]?\.[0-9]{1,2}[a-z]?$"),
    "smart": re.compile(r"^HIV\.IND\.[1-9][0-9]{0,2}$"),
}
SCHEME_NAMES = {"gam": "UNAIDS Global AIDS Monitoring", "smart": "WHO SMART HIV"}


def number_text(value: float | None) -> str:
    """A figure as people of the reader's language write it: 1,500,000 or 52.8; 1 500 000 or 52,8."""
    from iduit.language.messages import number

    if value is None:
        return ""
    return number(value, 0 if float(value).is_integer() else 1)


def amount(unit: str, value: float | None) -> str:
    """A figure in an indicator's unit: '50 %' for a percentage, '200' otherwise."""
    return f"{number_text(value)} %" if unit.startswith("%") else number_text(value)


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
        from iduit.language.messages import tr

        name = tr(self.name)
        if self.lower is None:
            return tr("{band}: below {value}").format(band=name, value=amount(unit, self.upper))
        if self.upper is None:
            return tr("{band}: above {value}").format(band=name, value=amount(unit, self.lower))
        return tr("{band}: {low} to {high}").format(
            band=name, low=number_text(self.lower), high=amount(unit, self.upper)
        )


@dataclass(frozen=True)
class Target:
    value: float
    label: str
    source: str
    year: int | None = None


@dataclass(frozen=True)
class Code:
    """The code a reporting scheme gives the indicator, read on a public page (``checked``)."""

    scheme: str  # a key of SCHEMES
    code: str  # HIV.IND.9, or a GAM number
    name: str  # the scheme's own name for the indicator, as published (in English)
    source: str
    checked: str


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
    codes: tuple[Code, ...] = ()  # at most one per scheme, in the order of SCHEMES

    def code(self, scheme: str) -> Code | None:
        return next((c for c in self.codes if c.scheme == scheme), None)


def indicator_to_dict(ind: Indicator) -> dict[str, Any]:
    """The stored form of an indicator (the store's content.json), read back by ``indicator_from_dict``."""
    return {
        "id": ind.id,
        "name": ind.name,
        "unit": ind.unit,
        "per": ind.per,
        "share": ind.share,
        "section": ind.section,
        "numerator": {"input": ind.numerator, "text": ind.numerator_text},
        "denominator": {"input": ind.denominator, "text": ind.denominator_text},
        "levels": [{"name": lv.name, "lower": lv.lower, "upper": lv.upper} for lv in ind.levels],
        "bands_source": ind.bands_source,
        "targets": [{"value": t.value, "label": t.label, "source": t.source, "year": t.year} for t in ind.targets],
        "note": ind.note,
        "codes": [
            {"scheme": c.scheme, "code": c.code, "name": c.name, "source": c.source, "checked": c.checked}
            for c in ind.codes
        ],
    }


def indicator_from_dict(data: dict[str, Any]) -> Indicator:
    return Indicator(
        id=data["id"],
        name=data["name"],
        unit=data["unit"],
        per=int(data["per"]),
        share=bool(data["share"]),
        section=data["section"],
        numerator=data["numerator"]["input"],
        numerator_text=data["numerator"]["text"],
        denominator=data["denominator"]["input"],
        denominator_text=data["denominator"]["text"],
        levels=tuple(Level(lv["name"], lv["lower"], lv["upper"]) for lv in data["levels"]),
        bands_source=data["bands_source"],
        targets=tuple(Target(t["value"], t["label"], t["source"], t["year"]) for t in data["targets"]),
        note=data["note"],
        codes=tuple(Code(c["scheme"], c["code"], c["name"], c["source"], c["checked"]) for c in data["codes"]),
    )
