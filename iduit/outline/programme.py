"""Documents of the programme tools: a checklist, an assessment report, a coverage report.

The same blocks as the digest's own documents, plus tables, bar charts and
answer forms, so every format (the terminal, Markdown, HTML, PDF, JSON and,
for lists, CSV) renders them through the one format registry. What the tools
work out comes from ``iduit.programme``; how it is worded and laid out is
decided here, once.
"""

from __future__ import annotations

from collections.abc import Sequence

from iduit import __version__
from iduit.content.indicators import SCHEME_NAMES, SCHEMES, Indicator, Target, amount, number_text
from iduit.content.model import Content
from iduit.language.messages import ntr, number, tr
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
from iduit.programme.coverage import CoverageResult, Value, current_year, result_data, target_rows, warnings
from iduit.programme.sites import SitesReport, sites_data, sites_rows

ANSWERS = ("Done", "Partly", "Not yet", "N/A")  # the answer boxes' headings, translated when shown
NO_BENCHMARK = "no published benchmark"


# -- checklist ---------------------------------------------------------------------


def checklist_document(content: Content, actions: Sequence[Action], title: str) -> Document:
    """Actions by chapter and section, each with a box per answer and its id (which iduit assess uses)."""
    count = len(actions)
    blocks: list[Block] = [
        Heading(1, title),
        Summary(
            ntr("{n} action.", "{n} actions.", count)
            + " "
            + tr("Tick one box per action and write what is missing; each action has an id that iduit assess uses.")
        ),
    ]
    for chapter in grouped(content, actions):
        blocks.append(Heading(2, chapter.heading, anchor=f"chapter-{chapter.number}"))  # a page each, in print
        for section in chapter.sections:
            blocks.append(Subheading(3, f"{section.id} {section.title}"))
            blocks.append(AnswerForm(tuple(tr(a) for a in ANSWERS), tuple((a.id, a.text) for a in section.actions)))
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
    return Document(title, tuple(blocks), data=data, brand=brand(content), lang=content.lang, rows=rows)


# -- answers ----------------------------------------------------------------------------


def answers_document(content: Content, assessment: Assessment) -> Document:
    """An assessment's answers, one row per action: for a spreadsheet (CSV), which iduit assess import reads back."""
    rows = tuple((e.action, e.section, e.text, e.status, e.note, e.by, e.answered) for e in assessment.entries)
    table = Table(ANSWER_COLUMNS, rows)
    # On a page the time may wrap at a space (2026-01-15 09:30:00Z), so the action's words keep their room.
    shown = Table(ANSWER_COLUMNS, tuple((*row[:-1], row[-1].replace("T", " ")) for row in rows))
    title = tr("Answers: {title}").format(title=assessment.title)
    blocks: list[Block] = [Heading(1, title), shown, footer(content)]
    data = {"title": assessment.title, "answers": [dict(zip(ANSWER_COLUMNS, row, strict=True)) for row in rows]}
    return Document(title, tuple(blocks), data=data, brand=brand(content), lang=content.lang, rows=table)


# -- assessment report ---------------------------------------------------------------


def _of(answered: int, total: int) -> str:
    return tr("{answered} of {total}").format(answered=answered, total=total)


def _coverage_title(result: CoverageResult) -> str:
    return tr("Coverage: {area}").format(area=result.area) if result.area else tr("Coverage")


def _shown(score: float | None) -> str:
    return tr("no answers yet") if score is None else number(score, 2)


def _held(text: str, word: str) -> str:
    """``text`` with ``word`` joined by no-break spaces to the words either side ("Read 3.1 The"), so that
    no line breaks inside the reference; each format shows them as plain spaces."""
    at = text.find(word)
    if at < 0:
        return text
    before, after = text[:at], text[at + len(word) :]
    if before.endswith(" "):
        before = before[:-1] + "\u00a0"
    if after.startswith(" "):
        after = "\u00a0" + after[1:]
    return before + word + after


def report_document(content: Content, rep: Report) -> Document:
    """Scores by chapter and section, the gaps most important first, notes, and coverage when added."""
    blocks: list[Block] = [
        Heading(1, rep.title),
        Paragraph(
            tr(
                "Self-assessment against the {name} digest's actions (content version {version}). "
                "Scores: {scoring}; each score is the mean over answered actions."
            ).format(name=content.toolkit.short_title, version=rep.content_version, scoring=tr(SCORING))
        ),
        Paragraph(
            ntr(
                "Answered {answered} of {n} action. Overall score: {score}.",
                "Answered {answered} of {n} actions. Overall score: {score}.",
                rep.total,
            ).format(answered=rep.answered, score=_shown(rep.score))
        ),
        Paragraph(tr("Made on {date} with iduit {version}.").format(date=rep.made, version=__version__)),
    ]
    blocks += [Notice(tr("Note"), change) for change in rep.changes]
    blocks.append(Subheading(2, tr("Scores")))
    blocks.append(
        BarChart(
            tr("Score by chapter, from 0 to 1"),
            tuple(Bar(c.heading, c.score, _shown(c.score)) for c in rep.chapters),
            maximum=1.0,
        )
    )
    rows: list[tuple[str, ...]] = []
    strong: set[int] = set()
    for c in rep.chapters:
        strong.add(len(rows))
        rows.append((c.heading, _shown(c.score), _of(c.answered, c.total)))
        rows += [(f"{s.id} {s.title}", _shown(s.score), _of(s.answered, s.total)) for s in c.sections]
    columns = (tr("Chapter or section"), tr("Score"), tr("Answered"))
    blocks.append(Table(columns, tuple(rows), frozenset({1}), frozenset(strong)))
    for c in rep.chapters:
        answered = tr("{answered} answered").format(answered=_of(c.answered, c.total))
        blocks.append(Subheading(3, f"{c.heading}: {_shown(c.score)} ({answered})"))
        bars = tuple(Bar(f"{s.id} {s.title}", s.score, _shown(s.score)) for s in c.sections)
        by_section = tr("{chapter}: score by section, from 0 to 1").format(chapter=c.heading)
        blocks.append(BarChart(by_section, bars, maximum=1.0))
    blocks.append(Subheading(2, tr("Gaps, most important first")))
    if rep.gaps:
        blocks.append(
            Items(
                tuple(
                    f"{tr(g.status)}: {g.action} {g.text} "
                    + _held(tr("Read {section} {title}.").format(section=g.section, title=g.section_title), g.section)
                    + (" " + tr("Note: {note}").format(note=g.note) if g.note else "")
                    for g in rep.gaps
                )
            )
        )
    else:
        blocks.append(Paragraph(tr("No action is answered 'not yet' or 'partly'.")))
    if rep.notes:
        blocks.append(Subheading(2, tr("Notes")))
        blocks.append(Items(tuple(f"{e.action} ({tr(e.status or 'not answered')}): {e.note}" for e in rep.notes)))
    if rep.coverage is not None:
        blocks += coverage_blocks(rep.coverage, level=2)
    blocks.append(footer(content))
    return Document(rep.title, tuple(blocks), data=report_data(rep), brand=brand(content), lang=content.lang)


# -- several sites ---------------------------------------------------------------------

COMMON_GAPS_SHOWN = 15  # a national review of twenty sites still reads as a short list; the JSON holds every one


def _chapter_column(number: int) -> str:
    return tr("Ch. {number}").format(number=number)


def _answers(not_yet: int, partly: int) -> str:
    """How a common gap was answered: '2 not yet, 1 partly', leaving out an answer no site gave."""
    parts = [tr("{n} not yet").format(n=not_yet)] if not_yet else []
    parts += [tr("{n} partly").format(n=partly)] if partly else []
    return ", ".join(parts)


def sites_document(content: Content, rep: SitesReport) -> Document:
    """Sites side by side: a row per site (the score per chapter, overall, answered), then the gaps most share."""
    count = len(rep.sites)
    title = ntr("Self-assessment of {n} site", "Self-assessment of {n} sites", count)
    blocks: list[Block] = [
        Heading(1, title),
        Paragraph(
            tr(
                "Each site's self-assessment against the {name} digest's actions (content version {version}). "
                "Scores: {scoring}; each score is the mean over answered actions."
            ).format(name=content.toolkit.short_title, version=rep.content_version, scoring=tr(SCORING))
        ),
        Paragraph(tr("Made on {date} with iduit {version}.").format(date=rep.made, version=__version__)),
    ]
    blocks += [Notice(tr("Note"), f"{s.title}: {s.changes[0]}") for s in rep.sites if s.changes]
    blocks.append(Subheading(2, tr("Scores by site")))
    # The overall figures first: on a phone they stay in view while the chapters scroll.
    columns = (tr("Site"), tr("Overall"), tr("Answered"), *(_chapter_column(c.number) for c in rep.chapters))
    rows = []
    for site in rep.sites:
        cells = []
        for column in rep.chapters:
            mine = site.chapter(column.number)
            cells.append("" if mine is None else "–" if mine.score is None else number(mine.score, 2))
        overall = "–" if site.score is None else number(site.score, 2)
        rows.append((site.title, overall, f"{site.answered}/{site.total}", *cells))  # compact: twenty rows fit
    blocks.append(Table(columns, tuple(rows), frozenset(range(1, len(columns)))))
    blocks.append(
        Items(
            (
                *(f"{_chapter_column(c.number)}: {c.title}" for c in rep.chapters),
                tr("–: no answers yet; an empty cell: the site did not assess that chapter."),
            )
        )
    )
    blocks.append(
        BarChart(
            tr("Overall score by site, from 0 to 1"),
            tuple(Bar(s.title, s.score, _shown(s.score)) for s in rep.sites),
            maximum=1.0,
        )
    )
    blocks.append(Subheading(2, tr("Gaps most sites share")))
    shown = rep.common_gaps[:COMMON_GAPS_SHOWN]
    if shown:
        blocks.append(
            Paragraph(tr("Actions answered 'not yet' or 'partly' at two sites or more, at the most sites first."))
        )
        blocks.append(
            Items(
                tuple(
                    ntr("{sites} of {n} site", "{sites} of {n} sites", count).format(sites=g.sites)
                    + f" ({_answers(g.not_yet, g.partly)}): {g.action} {g.text} "
                    + tr("Read {section} {title}.").format(section=g.section, title=g.section_title)
                    for g in shown
                )
            )
        )
        more = len(rep.common_gaps) - len(shown)
        if more:
            blocks.append(
                Paragraph(
                    ntr(
                        "{n} more action is a gap at two sites or more; the JSON output lists every one.",
                        "{n} more actions are gaps at two sites or more; the JSON output lists every one.",
                        more,
                    )
                )
            )
    else:
        blocks.append(Paragraph(tr("No action is answered 'not yet' or 'partly' at more than one site.")))
    blocks.append(footer(content))
    table = Table(*sites_rows(rep))
    return Document(
        title,
        tuple(blocks),
        data=sites_data(rep, __version__),
        brand=brand(content),
        lang=content.lang,
        rows=table,
    )


# -- coverage ---------------------------------------------------------------------------


def value_text(v: Value) -> str:
    # a no-break space: a narrow table column never leaves the % sign alone on a line
    return number(v.value, 1) + ("\u00a0%" if v.indicator.per == 100 and "%" in v.indicator.unit else "")


def _with_unit(v: Value) -> str:
    unit = v.indicator.unit
    return f"{number(v.value, 1)} {unit}" if unit.startswith("%") else f"{value_text(v)} {unit}"


def _table_name(v: Value) -> str:
    """An indicator's name with its unit, unless the unit is a percentage (whose % the value shows)."""
    ind = v.indicator
    return ind.name if ind.unit.startswith("%") else f"{ind.name} ({ind.unit})"


def gap_text(unit: str, gap: float) -> str:
    """A distance in an indicator's unit; between two percentages it is in percentage points."""
    if not unit.startswith("%"):
        return number_text(gap)
    if float(gap).is_integer():
        return ntr("{gap} percentage point", "{gap} percentage points", int(gap)).format(gap=number_text(gap))
    # A fraction takes its own form in some languages (Russian: 38,8 процентного пункта).
    return tr("{gap} percentage points").format(gap=number_text(gap))


def band_text(v: Value) -> str:
    if not v.indicator.levels:
        return tr(NO_BENCHMARK)
    return tr(v.level.name) if v.level else tr("outside the bands")


def _bar_text(v: Value) -> str:
    return f"{value_text(v)} ({tr(v.level.name)})" if v.level else value_text(v)


def _next_text(v: Value) -> str:
    if not v.indicator.levels:
        return ""
    if v.next_level is None:
        return tr("top band")
    assert v.gap is not None
    return tr("{gap} to {band}").format(gap=gap_text(v.indicator.unit, v.gap), band=tr(v.next_level.name))


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
        lines.append(
            tr("Bands ({unit}): {bands}. Source: {source}").format(
                unit=ind.unit, bands=bands, source=_cite(result, ind.bands_source)
            )
        )
    else:
        lines.append(tr("No published benchmark is given for this indicator; the value is shown without a band."))
    for t, met, gap in target_rows(v):
        when = " " + tr("by {year}").format(year=t.year) if t.year else ""
        if met:
            state = tr("met")
        elif t.year is not None and t.year < current_year(result.made):
            state = tr("not met, and the target year has passed")
        else:
            state = tr("{gap} to go").format(gap=gap_text(ind.unit, gap))
        lines.append(
            tr("Target {value}{when} ({label}): {state}. Source: {source}").format(
                value=amount(ind.unit, t.value), when=when, label=t.label, state=state, source=_cite(result, t.source)
            )
        )
    lines.append(codes_line(ind, result))
    return lines


def code_text(ind: Indicator, scheme: str) -> str:
    """The indicator's code in a reporting scheme, or words saying that none has been checked."""
    code = ind.code(scheme)
    return code.code if code else tr("no code checked")


def codes_line(ind: Indicator, result: CoverageResult) -> str:
    """Where to report the figure: each scheme's code, its name for the indicator and the page it was read on."""
    parts = []
    for scheme in SCHEMES:
        code = ind.code(scheme)
        if code is None:
            parts.append(tr("{scheme}: no indicator code checked").format(scheme=tr(SCHEME_NAMES[scheme])))
        else:
            parts.append(
                tr("{scheme} {code} ({name}), read at {checked}. Source: {source}").format(
                    scheme=tr(SCHEME_NAMES[scheme]),
                    code=code.code,
                    name=code.name,
                    checked=code.checked,
                    source=_cite(result, code.source),
                )
            )
    return tr("Reporting codes: {codes}").format(codes="; ".join(parts))


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
    if ind.unit.startswith("%"):
        # Shares are drawn on 0 to 100 %, so 25 % and 50 % are never the same length in two charts.
        return max(100.0, top)
    return top * 1.15 if top > 0 else 1.0


def coverage_blocks(result: CoverageResult, *, level: int = 1) -> list[Block]:
    """The indicators: a table, warnings, then each indicator's chart, definition, benchmarks and sources."""
    sub = level + 1
    blocks: list[Block] = [Heading(level, _coverage_title(result))]
    if result.summed:
        blocks.append(
            Paragraph(
                tr("Figures for the whole area are the sums of the sites for: {inputs}.").format(
                    inputs=", ".join(result.summed)
                )
            )
        )
    blocks += [Notice(tr("Note"), _differ_text(name, area, total)) for name, area, total in result.differ]
    blocks.append(
        Table(
            (tr("Indicator"), tr("Value"), tr("Band"), tr("To the next band")),
            tuple((_table_name(v), value_text(v), band_text(v), _next_text(v)) for v in result.values),
            frozenset({1}),
        )
    )
    blocks += [Notice(tr("Implausible"), message) for _, message in warnings(result)]
    if result.values:
        blocks.append(Subheading(sub, tr("Definitions, benchmarks and sources")))
    for v in result.values:
        ind = v.indicator
        maximum = _scale([v.value], ind)
        marks = tuple(
            (t.value, amount(ind.unit, t.value) + (" " + tr("by {year}").format(year=t.year) if t.year else ""))
            for t in ind.targets
        )
        blocks.append(
            Subheading(sub + 1, tr("{name} (see section {section})").format(name=ind.name, section=ind.section))
        )
        blocks.append(
            BarChart(
                _with_unit(v),
                (Bar(result.area or tr("This programme"), v.value, _bar_text(v)),),
                maximum,
                _zones(ind, maximum),
                marks,
            )
        )
        worked = f"{_definition(ind)} = {number_text(v.numerator)} ÷ {number_text(v.denominator)}"
        lines = [tr("Definition: {definition}").format(definition=worked)]
        lines += _citation_lines(v, result)
        lines += [tr("Note: {note}").format(note=ind.note)] if ind.note else []
        blocks.append(Items(tuple(lines)))
    if result.sites:
        blocks.append(Subheading(sub, tr("By site")))
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
        blocks.append(Table((tr("Site"), *(i.name for i in shown)), tuple(rows)))
        for ind in shown:
            found = [(n, next((v for v in vs if v.indicator.id == ind.id), None)) for n, vs in result.sites]
            maximum = _scale([v.value for _, v in found if v], ind)
            bars = tuple(Bar(n, v.value if v else None, _bar_text(v) if v else tr("not worked out")) for n, v in found)
            title = tr("{name} by site").format(name=ind.name)
            blocks.append(BarChart(title, bars, maximum, _zones(ind, maximum)))
    if result.plan or result.passed:
        heading = tr("Scale-up plan, {start} to {end}").format(start=result.year, end=result.target_year)
        blocks.append(Subheading(sub, heading))
        goals = {s.indicator.id: s.goal for s in result.plan}
        blocks += [Paragraph(_passed_text(ind, t, goals.get(ind.id))) for ind, t in result.passed]
    if result.plan:
        blocks.append(
            Table(
                (tr("Indicator"), tr("Goal"), tr("Now"), tr("Needed"), tr("More each year")),
                tuple(
                    (
                        s.indicator.name,
                        s.goal,
                        number_text(s.now),
                        number_text(s.needed),
                        f"{number_text(s.per_year)} {tr(s.noun)}",
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
        blocks.append(Paragraph(tr("The plan assumes the size estimate stays the same.")))
    if result.missing:
        missing = ", ".join(i.name for i in result.missing)
        blocks.append(Paragraph(tr("Not worked out (inputs missing): {names}.").format(names=missing)))
    return blocks


def _differ_text(name: str, area: int, total: int) -> str:
    return tr("{input}: the figure for the whole area ({area}) is used; the sites add up to {total}.").format(
        input=name, area=number_text(area), total=number_text(total)
    )


def _passed_text(ind: Indicator, t: Target, goal: str | None) -> str:
    """A dated target already past: the plan's goal instead, or that it has none for this indicator."""
    passed = tr("{name}: the {year} target ({value}, {label}) has passed.").format(
        name=ind.name, year=t.year, value=amount(ind.unit, t.value), label=t.label
    )
    if goal is None:
        return passed + " " + tr("No later target or band is given, so the plan sets no goal for it.")
    return passed + " " + tr("The plan aims at {goal} instead.").format(goal=goal)


def coverage_rows(result: CoverageResult) -> Table:
    """What CSV writes: a row per indicator and place, with the codes to report it under."""
    columns = (
        tr("Place"),
        tr("Indicator"),
        tr("Value"),
        tr("Unit"),
        tr("Band"),
        tr("Numerator"),
        tr("Denominator"),
        *(tr("{scheme} code").format(scheme=tr(SCHEME_NAMES[s])) for s in SCHEMES),
        tr("Note"),
    )
    differ = {name: _differ_text(name, area, total) for name, area, total in result.differ}

    def note(v: Value, whole_area: bool) -> str:
        """For the whole area: where its own figure, not the sites' sum, went into the value."""
        parts = (v.indicator.numerator, v.indicator.denominator)
        return " ".join(differ[p] for p in dict.fromkeys(parts) if p in differ) if whole_area else ""

    places = [(result.area or tr("This programme"), result.values, True), *((n, vs, False) for n, vs in result.sites)]
    rows = tuple(
        (
            place,
            v.indicator.name,
            number(v.value, 1),
            v.indicator.unit,
            band_text(v),
            str(v.numerator),
            str(v.denominator),
            *(code_text(v.indicator, s) for s in SCHEMES),
            note(v, whole_area),
        )
        for place, values, whole_area in places
        for v in values
    )
    return Table(columns, rows)


def coverage_document(content: Content, result: CoverageResult) -> Document:
    title = _coverage_title(result)
    heading, *rest = coverage_blocks(result)
    made = Paragraph(tr("Worked out on {date} with iduit {version}.").format(date=result.made, version=__version__))
    blocks = [heading, made, *rest, footer(content)]
    data, rows = result_data(result), coverage_rows(result)
    return Document(title, tuple(blocks), data=data, rows=rows, brand=brand(content), lang=content.lang)
