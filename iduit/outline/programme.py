"""Documents of the programme tools: a checklist, an assessment report, a coverage report.

The same blocks as the digest's own documents, plus tables, bar charts and
answer forms, so every format (the terminal, Markdown, HTML, PDF, JSON and,
for lists, CSV) renders them through the one format registry. What the tools
work out comes from ``iduit.programme``; how it is worded and laid out is
decided here, once.
"""

from __future__ import annotations

from collections.abc import Sequence

from iduit.content.indicators import Indicator, amount, number_text
from iduit.content.model import Content
from iduit.outline.blocks import (
    AnswerForm,
    Bar,
    BarChart,
    Block,
    Document,
    Heading,
    Items,
    Notice,
    Paragraph,
    Subheading,
    Summary,
    Table,
    Zone,
)
from iduit.outline.content import brand, footer
from iduit.programme.actions import CSV_COLUMNS, Action, grouped
from iduit.programme.assessment import CSV_COLUMNS as ANSWER_COLUMNS
from iduit.programme.assessment import SCORING, Assessment, Report, report_data
from iduit.programme.coverage import CoverageResult, Value, result_data, target_rows, warnings

ANSWERS = ("Done", "Partly", "Not yet", "N/A")
NO_BENCHMARK = "no published benchmark"


# -- checklist ---------------------------------------------------------------------


def checklist_document(content: Content, actions: Sequence[Action], title: str) -> Document:
    """Actions by chapter and section, each with a box per answer and its id (which iduit assess uses)."""
    count = len(actions)
    blocks: list[Block] = [
        Heading(1, title),
        Summary(
            f"{count} action{'s' if count != 1 else ''}. Tick one box per action and write what is missing; "
            "each action has an id that iduit assess uses."
        ),
    ]
    for chapter in grouped(content, actions):
        blocks.append(Heading(2, chapter.heading, anchor=f"chapter-{chapter.number}"))  # a page each, in print
        for section in chapter.sections:
            blocks.append(Subheading(3, f"{section.id} {section.title}"))
            blocks.append(AnswerForm(ANSWERS, tuple((a.id, a.text) for a in section.actions)))
    blocks.append(footer(content))
    rows = Table(
        CSV_COLUMNS,
        tuple((a.id, str(a.chapter), a.section, a.section_title, a.text, "", "") for a in actions),
    )
    data = {
        "title": title,
        "actions": [
            {"id": a.id, "chapter": a.chapter, "section": a.section, "section_title": a.section_title, "text": a.text}
            for a in actions
        ],
    }
    return Document(title, tuple(blocks), data=data, brand=brand(content), rows=rows)


# -- answers ----------------------------------------------------------------------------


def answers_document(content: Content, assessment: Assessment) -> Document:
    """An assessment's answers, one row per action: for a spreadsheet (CSV), which iduit assess import reads back."""
    rows = tuple((e.action, e.section, e.text, e.status, e.note) for e in assessment.entries)
    table = Table(ANSWER_COLUMNS, rows)
    blocks: list[Block] = [Heading(1, f"Answers: {assessment.title}"), table, footer(content)]
    data = {"title": assessment.title, "answers": [dict(zip(ANSWER_COLUMNS, row, strict=True)) for row in rows]}
    return Document(f"Answers: {assessment.title}", tuple(blocks), data=data, brand=brand(content), rows=table)


# -- assessment report ---------------------------------------------------------------


def _shown(score: float | None) -> str:
    return "no answers yet" if score is None else f"{score:.2f}"


def report_document(content: Content, rep: Report) -> Document:
    """Scores by chapter and section, the gaps most important first, notes, and coverage when added."""
    blocks: list[Block] = [
        Heading(1, rep.title),
        Paragraph(
            f"Self-assessment against the {content.toolkit.short_title} digest's actions "
            f"(content version {rep.content_version}). Scores: {SCORING}; each score is the mean over answered actions."
        ),
        Paragraph(f"Answered {rep.answered} of {rep.total} actions. Overall score: {_shown(rep.score)}."),
    ]
    blocks += [Notice("Note", change) for change in rep.changes]
    blocks.append(Subheading(2, "Scores"))
    blocks.append(
        BarChart(
            "Score by chapter, from 0 to 1",
            tuple(Bar(c.heading, c.score, _shown(c.score)) for c in rep.chapters),
            maximum=1.0,
        )
    )
    rows: list[tuple[str, ...]] = []
    strong: set[int] = set()
    for c in rep.chapters:
        strong.add(len(rows))
        rows.append((c.heading, _shown(c.score), f"{c.answered} of {c.total}"))
        rows += [(f"{s.id} {s.title}", _shown(s.score), f"{s.answered} of {s.total}") for s in c.sections]
    blocks.append(Table(("Chapter or section", "Score", "Answered"), tuple(rows), frozenset({1}), frozenset(strong)))
    for c in rep.chapters:
        blocks.append(Subheading(3, f"{c.heading}: {_shown(c.score)} ({c.answered} of {c.total} answered)"))
        bars = tuple(Bar(f"{s.id} {s.title}", s.score, _shown(s.score)) for s in c.sections)
        blocks.append(BarChart(f"{c.heading}: score by section, from 0 to 1", bars, maximum=1.0))
    blocks.append(Subheading(2, "Gaps, most important first"))
    if rep.gaps:
        blocks.append(
            Items(
                tuple(
                    f"{g.status}: {g.action} {g.text} Read {g.section} {g.section_title}."
                    + (f" Note: {g.note}" if g.note else "")
                    for g in rep.gaps
                )
            )
        )
    else:
        blocks.append(Paragraph("No action is answered 'not yet' or 'partly'."))
    if rep.notes:
        blocks.append(Subheading(2, "Notes"))
        blocks.append(Items(tuple(f"{e.action} ({e.status or 'not answered'}): {e.note}" for e in rep.notes)))
    if rep.coverage is not None:
        blocks += coverage_blocks(rep.coverage, level=2)
    blocks.append(footer(content))
    return Document(rep.title, tuple(blocks), data=report_data(rep), brand=brand(content))


# -- coverage ---------------------------------------------------------------------------


def value_text(v: Value) -> str:
    return f"{v.value:,.1f}" + (" %" if v.indicator.per == 100 and "%" in v.indicator.unit else "")


def _with_unit(v: Value) -> str:
    unit = v.indicator.unit
    return f"{v.value:,.1f} {unit}" if unit.startswith("%") else f"{value_text(v)} {unit}"


def band_text(v: Value) -> str:
    if not v.indicator.levels:
        return NO_BENCHMARK
    return v.level.name if v.level else "outside the bands"


def _bar_text(v: Value) -> str:
    return f"{value_text(v)} ({v.level.name})" if v.level else value_text(v)


def _next_text(v: Value) -> str:
    if not v.indicator.levels:
        return ""
    if v.next_level is None:
        return "top band"
    return f"{number_text(v.gap)} to {v.next_level.name}"


def _cite(result: CoverageResult, ident: str) -> str:
    source = result.sources.get(ident)
    if source is None:
        return ident
    return f"{source.cite()} {source.url}" if source.url else source.cite()


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
        state = "met" if met else f"{amount(ind.unit, gap)} to go"
        lines.append(
            f"Target {amount(ind.unit, t.value)}{when} ({t.label}): {state}. Source: {_cite(result, t.source)}"
        )
    return lines


def _definition(ind: Indicator) -> str:
    scale = " × 100" if ind.per == 100 else f" × {ind.per}" if ind.per != 1 else ""
    return f"{ind.numerator_text} ÷ {ind.denominator_text}{scale}"


def _zones(ind: Indicator, maximum: float) -> tuple[Zone, ...]:
    return tuple(
        Zone(level.lower or 0.0, level.upper if level.upper is not None else maximum, level.name)
        for level in ind.levels
    )


def _scale(values: Sequence[float], ind: Indicator) -> float:
    """The end of a chart's scale: the largest value, band edge or target, with room to spare."""
    top = max(
        [
            *values,
            *(lv.lower or 0.0 for lv in ind.levels),
            *(lv.upper or 0.0 for lv in ind.levels),
            *(t.value for t in ind.targets),
        ]
    )
    return top * 1.15 if top > 0 else 1.0


def coverage_blocks(result: CoverageResult, *, level: int = 1) -> list[Block]:
    """The indicators: a table, warnings, then each indicator's chart, definition, benchmarks and sources."""
    sub = level + 1
    blocks: list[Block] = [Heading(level, f"Coverage{': ' + result.area if result.area else ''}")]
    if result.summed:
        blocks.append(
            Paragraph(f"Figures for the whole area are the sums of the sites for: {', '.join(result.summed)}.")
        )
    blocks.append(
        Table(
            ("Indicator", "Value", "Band", "To the next band"),
            tuple((v.indicator.name, value_text(v), band_text(v), _next_text(v)) for v in result.values),
            frozenset({1}),
        )
    )
    blocks += [Notice("Implausible", message) for _, message in warnings(result)]
    if result.values:
        blocks.append(Subheading(sub, "Definitions, benchmarks and sources"))
    for v in result.values:
        ind = v.indicator
        maximum = _scale([v.value], ind)
        marks = tuple(
            (t.value, f"{amount(ind.unit, t.value)}{' by ' + str(t.year) if t.year else ''}") for t in ind.targets
        )
        blocks.append(Subheading(sub + 1, f"{ind.name} (see section {ind.section})"))
        blocks.append(
            BarChart(
                _with_unit(v),
                (Bar(result.area or "This programme", v.value, _bar_text(v)),),
                maximum,
                _zones(ind, maximum),
                marks,
            )
        )
        lines = [f"Definition: {_definition(ind)} = {number_text(v.numerator)} ÷ {number_text(v.denominator)}"]
        lines += _citation_lines(v, result)
        lines += [f"Note: {ind.note}"] if ind.note else []
        blocks.append(Items(tuple(lines)))
    if result.sites:
        blocks.append(Subheading(sub, "By site"))
        shown = list(dict.fromkeys(v.indicator for _, vs in result.sites for v in vs))
        rows = []
        for site, values in result.sites:
            by_id = {v.indicator.id: v for v in values}
            rows.append(
                (
                    site,
                    *(f"{value_text(by_id[i.id])} ({band_text(by_id[i.id])})" if i.id in by_id else "" for i in shown),
                )
            )
        blocks.append(Table(("Site", *(i.name for i in shown)), tuple(rows)))
        for ind in shown:
            found = [(n, next((v for v in vs if v.indicator.id == ind.id), None)) for n, vs in result.sites]
            maximum = _scale([v.value for _, v in found if v], ind)
            bars = tuple(Bar(n, v.value if v else None, _bar_text(v) if v else "not worked out") for n, v in found)
            blocks.append(BarChart(f"{ind.name} by site", bars, maximum, _zones(ind, maximum)))
    if result.plan:
        blocks.append(Subheading(sub, f"Scale-up plan, {result.year} to {result.target_year}"))
        blocks.append(
            Table(
                ("Indicator", "Goal", "Now", "Needed", "More each year"),
                tuple(
                    (
                        s.indicator.name,
                        s.goal,
                        number_text(s.now),
                        number_text(s.needed),
                        f"{number_text(s.per_year)} {s.noun}",
                    )
                    for s in result.plan
                ),
                frozenset({2, 3}),
            )
        )
        blocks.append(
            Items(
                tuple(
                    f"{s.indicator.name}: " + ", ".join(f"{y}: {number_text(n)}" for y, n in s.milestones)
                    for s in result.plan
                )
            )
        )
        blocks.append(Paragraph("The plan assumes the size estimate stays the same."))
    if result.missing:
        blocks.append(Paragraph(f"Not worked out (inputs missing): {', '.join(i.name for i in result.missing)}."))
    return blocks


def coverage_document(content: Content, result: CoverageResult) -> Document:
    title = f"Coverage{': ' + result.area if result.area else ''}"
    blocks = [*coverage_blocks(result), footer(content)]
    return Document(title, tuple(blocks), data=result_data(result), brand=brand(content))
