"""HTML from the outline: a standalone page (no scripts, no remote loads, prints well), and the block walker
that the EPUB, ZIM and PDF formats and the website all use.

``blocks_html`` is the only code that turns blocks into HTML. The website
calls it with ``SITE`` markup (class names its stylesheet uses, glossary
entries in one list with anchors); a standalone page uses ``PAGE``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from iduit.content.bodies import parser
from iduit.content.model import Source
from iduit.language.messages import tr
from iduit.outline.blocks import (
    AnswerForm,
    BarChart,
    Block,
    Body,
    Boxes,
    Caption,
    Definition,
    Document,
    ExampleBlock,
    Field,
    FillTable,
    Footer,
    Form,
    Heading,
    Items,
    Linker,
    Links,
    Notice,
    Paragraph,
    SourceList,
    Subheading,
    Summary,
    Table,
    UpdateBlock,
    unhandled,
)

CSS = """
:root{color-scheme:light dark}
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:46rem;margin:2rem auto;
padding:0 1rem;line-height:1.55}
h1,h2,h3,h4{line-height:1.25} .summary{font-style:italic} .caption{color:#666;font-size:.95rem}
table{border-collapse:collapse} td,th{border:1px solid #999;padding:.3rem .5rem}
ul.actions{list-style:none;padding-left:0} ul.actions li{padding-left:1.8rem;text-indent:-1.8rem}
ul.actions input{width:1.1rem;height:1.1rem;margin-right:.5rem;vertical-align:-.2rem}
.example,.update{border:1px solid #999;border-radius:6px;padding:.2rem 1rem;margin:1rem 0}
footer{margin-top:3rem;font-size:.9rem;color:#666;border-top:1px solid #999}
nav.home{margin-bottom:1rem}
@media print{body{margin:0;max-width:none} section.section{break-before:page}
section.section:first-of-type{break-before:auto} a[href^="http"]:not(.url)::after{content:" (" attr(href) ")"}
ul.actions input{appearance:none;border:1px solid #000}}
"""
# Only pages with tables, charts or forms (reports, checklists) carry these rules, so a section's page stays as it was.
REPORT_CSS = """
table.data,table.form{width:100%;margin:.6rem 0 1.2rem} td,th{text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums} tr.strong td{font-weight:bold}
.notice{font-weight:bold} body{overflow-wrap:break-word} td.num{white-space:nowrap} div.wide{overflow-x:auto}
figure.chart{margin:1rem 0} figure.chart figcaption{font-weight:bold}
.legend{margin:.2rem 0;font-size:.9rem} .legend span{white-space:nowrap;margin-right:.8rem}
.legend svg.key{vertical-align:-.1rem} table.bars{width:100%;border-collapse:collapse;table-layout:fixed}
table.bars col.value{width:9.5rem} table.bars tbody{break-inside:avoid}
table.bars th,table.bars td{border:0;padding:0;vertical-align:middle}
table.bars th{font-weight:normal;padding-top:.4rem}
table.bars td.track svg{display:block;width:100%;height:1rem}
table.bars td.value{padding-left:.5rem;font-variant-numeric:tabular-nums}
@media (max-width:30rem){body{padding:0 .6rem} table.bars col.value{width:7.5rem} table.data{font-size:.8rem}
table.data td,table.data th{padding:.2rem .25rem}}
table.form td.box,table.form th.box{width:3.2rem;text-align:center}
.box span{display:inline-block;width:1rem;height:1rem;border:1.5px solid currentColor;border-radius:2px}
table.form td.note{width:32%;height:3.2rem} .id{white-space:nowrap;font-weight:bold}
tr{page-break-inside:avoid} @media print{h2[id^="chapter-"]~h2[id^="chapter-"]{break-before:page}}
"""
# Pages with forms (job aids) carry these: room to write of a hand's height (9 mm), boxes drawn to tick, and
# a table too wide for a portrait page printed on a landscape one.
FORM_CSS = """
.form{margin:.8rem 0 1.2rem} .form p{margin:.3rem 0}
.form p.field{display:flex;flex-wrap:wrap;align-items:flex-end;column-gap:.5rem}
.form .blank{height:9mm;border-bottom:1px solid currentColor} .form p.field .blank{flex:1 1 10rem;min-width:10rem}
.form .lines{break-inside:avoid;margin:.5rem 0} .form .lines p{margin:.6rem 0 0}
.form .key{font-weight:bold;margin-right:.3rem} .form .hint{font-size:.9em}
ul.boxes{list-style:none;padding-left:0} ul.boxes li{display:flex;column-gap:.6rem;margin:.4rem 0;break-inside:avoid}
.tick{flex:none;display:inline-block;width:.95em;height:.95em;margin-top:.2em;border:1.5px solid currentColor;
border-radius:2px}
.fill-wrap{max-width:100%;overflow-x:auto} table.fill{width:100%;border-collapse:collapse;table-layout:fixed}
table.fill th{font-size:.85em;text-align:left;vertical-align:bottom;overflow-wrap:break-word;hyphens:auto}
table.fill td{height:7.5mm;vertical-align:top;overflow-wrap:break-word} table.fill tr{break-inside:avoid}
.wide table.fill{min-width:44rem}
@media print{body.wide,section.wide,.form.wide{page:landscape} .form.wide{break-before:page}
.wide table.fill{min-width:0;font-size:.85em}
.fill-wrap{overflow:visible}}
@page landscape{size:landscape}
"""
# Pages load nothing from anywhere: a copy on a USB stick behaves like the original.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_REPORT_BLOCKS = (Table, BarChart, AnswerForm, Notice)


@dataclass(frozen=True)
class Markup:
    """The few places where a standalone page and the website mark blocks up differently."""

    body_class: str = ""  # a <div> around a Markdown body, for the site's table and code styles
    links_class: str = ""
    sources_class: str = ""
    source_class: str = ""  # the "Source:" line of an example or update, on a line of its own
    glossary_list: bool = False  # consecutive definitions in one <dl class="glossary"> with anchors
    align_classes: bool = False  # table alignment as classes: the site's policy refuses style attributes
    # Each action's box names its id (data-action), for the site's checklist.js to keep its tick; a list of
    # reading tips (no ids) is a plain list there, as a box that keeps nothing would only mislead.
    action_ids: bool = False


PAGE = Markup()
SITE = Markup("body", "links", "sources", "source", glossary_list=True, align_classes=True, action_ids=True)
_ALIGN_STYLE = re.compile(r' style="text-align:(left|center|right)"')


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def body_html(markdown: str) -> str:
    # Raw HTML in content is escaped, never passed through.
    return str(parser().render(markdown))


def _source(source: Source) -> str:
    cite = _e(source.cite())
    return f'{cite} <a class="url" href="{_e(source.url)}">{_e(source.url)}</a>' if source.url else cite


def _link(linker: Linker, item_id: str, title: str) -> str:
    label = _e(title if item_id == "glossary" else f"{item_id} {title}".strip())
    href = linker.href(item_id)
    return f'<a href="{_e(href)}">{label}</a>' if href else label


def _class(name: str) -> str:
    return f' class="{name}"' if name else ""


def _source_line(source: Source | None, markup: Markup, *, inline: bool) -> str:
    if source is None:
        return ""
    if markup.source_class:
        return f'<p class="{markup.source_class}">{_e(tr("Source:"))} {_source(source)}</p>'
    label = _e(tr("Source:"))
    return f" {label} {_source(source)}" if inline else f"<p>{label} {_source(source)}</p>"


SHADES = ("#f4cccc", "#fff2cc", "#d9ead3", "#cfe2f3")  # the bands behind the bars, lowest first
_SVG = "http://www.w3.org/2000/svg"
_SPAN = 1000  # a bar's drawing is this many units long, stretched to the width the page has


def _swatch(fill: str, line: bool = False) -> str:
    """A small key for the legend: a band's colour, or the dashed line of a marked value."""
    inside = (
        '<line x1="5" y1="0" x2="5" y2="12" stroke="currentColor" stroke-width="1.5" stroke-dasharray="3 2"/>'
        if line
        else f'<rect width="12" height="12" fill="{fill}" fill-opacity="0.6"/>'
    )
    return (
        f'<svg xmlns="{_SVG}" class="key" aria-hidden="true" width="12" height="12" viewBox="0 0 12 12">{inside}</svg>'
    )


def chart_html(chart: BarChart) -> str:
    """A horizontal bar chart: each label on a line of its own, its bar under it, the value after the bar.

    Labels and values are text, so they wrap and stay at the page's size at any width; only the bars
    are drawn (inline SVG, stretched to the room there is), and every bar of a chart shares one column,
    so its length is proportional to its value on the chart's one scale, from 0 to ``maximum``; the value
    column has one width on every chart, so a value is drawn as long in every chart of a page on one scale.
    """
    maximum = chart.maximum

    def x(value: float) -> float:
        return max(0.0, min(value, maximum)) / maximum * _SPAN if maximum > 0 else 0.0

    keys = [f"<span>{_swatch(SHADES[i % len(SHADES)])} {_e(z.name)}</span>" for i, z in enumerate(chart.zones)]
    keys += [f"<span>{_swatch('', line=True)} {_e(name)}</span>" for _, name in chart.marks]
    legend = f'<p class="legend">{" ".join(keys)}</p>' if keys else ""
    behind = "".join(
        f'<rect x="{x(z.start):.1f}" width="{max(0.0, x(z.end) - x(z.start)):.1f}" height="16" '
        f'fill="{SHADES[i % len(SHADES)]}" fill-opacity="0.6"/>'
        for i, z in enumerate(chart.zones)
    )
    over = "".join(
        f'<line x1="{x(value):.1f}" y1="0" x2="{x(value):.1f}" y2="16" stroke="currentColor" stroke-width="2" '
        'stroke-dasharray="4 3" vector-effect="non-scaling-stroke"/>'
        for value, _ in chart.marks
    )
    rows = []
    for bar in chart.bars:
        fill = (
            f'<rect class="fill" y="3" width="{x(bar.value):.1f}" height="10" fill="#3d6fb6"/>'
            if bar.value is not None
            else ""
        )
        rows.append(
            f'<tbody><tr><th colspan="2">{_e(bar.label)}</th></tr>'
            f'<tr><td class="track"><svg xmlns="{_SVG}" aria-hidden="true" viewBox="0 0 {_SPAN} 16" '
            'preserveAspectRatio="none">'
            f'{behind}<rect class="scale" width="{_SPAN}" height="16" fill="#999" fill-opacity="0.15"/>{fill}{over}'
            f'</svg></td><td class="value">{_e(bar.shown)}</td></tr></tbody>'
        )
    return (
        f'<figure class="chart"><figcaption>{_e(chart.title)}</figcaption>{legend}'
        f'<table class="bars"><colgroup><col><col class="value"></colgroup>{"".join(rows)}</table></figure>'
    )


def _table(table: Table) -> str:
    def cell(tag: str, i: int, text: str) -> str:
        return f"<{tag}{_class('num' if i in table.numeric else '')}>{_e(text)}</{tag}>"

    head = "".join(cell("th", i, c) for i, c in enumerate(table.columns))
    rows = "".join(
        f"<tr{_class('strong' if n in table.strong else '')}>"
        + "".join(cell("td", i, c) for i, c in enumerate(r))
        + "</tr>"
        for n, r in enumerate(table.rows)
    )
    # A table wider than a phone scrolls on its own; the page around it never does.
    return f'<div class="wide"><table class="data"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'


def _form(form: AnswerForm) -> str:
    heads = "".join(f'<th class="box">{_e(a)}</th>' for a in form.answers)
    box = '<td class="box"><span></span></td>' * len(form.answers)
    rows = "".join(
        f'<tr><td><span class="id">{_e(ident)}</span> {_e(text)}</td>{box}<td class="note"></td></tr>'
        for ident, text in form.rows
    )
    return (
        f'<table class="form"><thead><tr><th>Action</th>{heads}<th>Notes</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def form_html(form: Form) -> str:
    """A form on paper or screen: labels with ruled room to write, drawn boxes, tables with rows to fill in."""
    out: list[str] = []
    for part in form.parts:
        match part:
            case Field():
                key = f'<span class="key">{_e(part.key)}</span>' if part.key else ""
                hint = f' <span class="hint">{_e(part.hint)}</span>' if part.hint else ""
                if part.lines == 1:
                    # The key inside the label's box: the two wrap together, and the line follows them.
                    label = f'<span class="label">{key}{_e(part.caption)}</span>'
                    out.append(f'<p class="field">{label}<span class="blank"></span>{hint}</p>')
                else:
                    lines = '<div class="blank"></div>' * part.lines
                    label = f'<p><span class="label">{key}{_e(part.label)}</span>{hint}</p>'
                    out.append(f'<div class="lines">{label}{lines}</div>')
            case Boxes():
                items = "".join(f'<li><span class="tick"></span><span>{_e(item)}</span></li>' for item in part.items)
                out.append(f'<ul class="boxes">{items}</ul>')
            case FillTable():
                head = "".join(f"<th>{_e(c)}</th>" for c in part.columns)
                rows = "".join(
                    "<tr>" + "".join(f"<td>{_e(c)}</td>" if c else "<td></td>" for c in row) + "</tr>"
                    for row in part.rows
                )
                out.append(
                    f'<div class="fill-wrap"><table class="fill"><thead><tr>{head}</tr></thead>'
                    f"<tbody>{rows}</tbody></table></div>"
                )
            case _:
                unhandled(part)
    return f'<div class="form{" wide" if form.wide else ""}">' + "".join(out) + "</div>"


def _wide_form_follows(blocks: Sequence[Block], start: int) -> bool:
    """Whether a form that needs a landscape page comes before the next section or job aid."""
    for block in blocks[start:]:
        if isinstance(block, Heading) and block.item_id:
            return False
        if isinstance(block, Form) and block.wide:
            return True
    return False


def blocks_html(
    blocks: Sequence[Block],
    linker: Linker,
    markup: Markup = PAGE,
    term_anchor: Callable[[str], str] | None = None,
) -> list[str]:
    """Every block as HTML, in order; sections and job aids open a ``<section>`` carrying their anchor."""
    out: list[str] = []
    open_section = False
    glossary: list[str] = []

    def flush_glossary() -> None:
        if glossary:
            out.append('<dl class="glossary">\n' + "\n".join(glossary) + "\n</dl>")
            glossary.clear()

    for n, block in enumerate(blocks):
        if not isinstance(block, Definition):
            flush_glossary()
        match block:
            case Heading():
                text = block.text
                if block.item_id:
                    # Each section or job aid is a <section> carrying its anchor: links and print breaks use it.
                    if open_section:
                        out.append("</section>")
                    # A job aid with a table too wide for a portrait page is printed landscape as a whole.
                    wide = " wide" if _wide_form_follows(blocks, n + 1) else ""
                    out.append(f'<section class="section{wide}" id="{_e(block.anchor)}">')
                    open_section = True
                    text = f"{block.item_id} {block.text}"
                anchor = f' id="{_e(block.anchor)}"' if block.anchor and not block.item_id else ""
                out.append(f"<h{block.level}{anchor}>{_e(text)}</h{block.level}>")
            case Subheading():
                level = min(6, block.level)
                out.append(f"<h{level}>{_e(block.text)}</h{level}>")
            case Caption():
                out.append(f'<p class="caption">{_e(block.text)}</p>')
            case Summary():
                out.append(f'<p class="summary">{_e(block.text)}</p>')
            case Paragraph():
                out.append(f"<p>{_e(block.text)}</p>")
            case Notice():
                out.append(f'<p class="notice">{_e(block.label)}: {_e(block.text)}</p>')
            case Body():
                rendered = body_html(block.markdown)
                if markup.align_classes:
                    rendered = _ALIGN_STYLE.sub(r' class="align-\1"', rendered)
                out.append(f'<div class="{markup.body_class}">\n{rendered}</div>' if markup.body_class else rendered)
            case Items():
                if block.style == "checkboxes" and markup.action_ids and block.ids:
                    items = "".join(
                        f'<li><label><input type="checkbox" data-action="{_e(ident)}"> {_e(item)}</label></li>'
                        for ident, item in zip(block.ids, block.items, strict=True)
                    )
                    out.append(f'<ul class="actions">{items}</ul>')
                elif block.style == "checkboxes" and not markup.action_ids:
                    items = "".join(
                        f'<li><label><input type="checkbox"> {_e(item)}</label></li>' for item in block.items
                    )
                    out.append(f'<ul class="actions">{items}</ul>')
                else:
                    out.append("<ul>" + "".join(f"<li>{_e(item)}</li>" for item in block.items) + "</ul>")
            case ExampleBlock():
                out.append(
                    f'<div class="example"><p><strong>{_e(block.title)}</strong> '
                    f"({_e(block.place)}, {_e(block.when)})</p><p>{_e(block.text)}</p>"
                    f"{_source_line(block.source, markup, inline=False)}</div>"
                )
            case UpdateBlock():
                source = _source_line(block.source, markup, inline=True)
                inside, after = ("", source) if markup.source_class else (source, "")
                date = f"<strong>{_e(block.date)}</strong>"
                out.append(f'<div class="update"><p>{date}: {_e(block.text)}{inside}</p>{after}</div>')
            case Links():
                items = "".join(f"<li>{_link(linker, k.id, k.title)}</li>" for k in block.links)
                out.append(f"<ul{_class(markup.links_class)}>{items}</ul>")
            case SourceList():
                items = "".join(f"<li>{_source(s)}</li>" for s in block.sources)
                out.append(f"<ul{_class(markup.sources_class)}>{items}</ul>")
            case Definition():
                name = f"<strong>{_e(block.term)}</strong>" + (f" ({_e(block.expansion)})" if block.expansion else "")
                links = ", ".join(_link(linker, link.id, link.title) for link in block.links)
                if markup.glossary_list:
                    where = f' id="{_e(term_anchor(block.term))}"' if term_anchor else ""
                    expansion = f" ({_e(block.expansion)})" if block.expansion else ""
                    see = f'<p class="see">{_e(tr("Sections:"))} {links}</p>' if links else ""
                    glossary.append(
                        f"<dt{where}><dfn>{_e(block.term)}</dfn>{expansion}</dt>\n"
                        f"<dd><p>{_e(block.definition)}</p>{see}</dd>"
                    )
                    continue
                out.append(f"<dl><dt>{name}</dt><dd><p>{_e(block.definition)}</p>")
                out.append(f"<p>{_e(tr('Sections:'))} {links}</p></dd></dl>" if links else "</dd></dl>")
            case Table():
                out.append(_table(block))
            case BarChart():
                out.append(chart_html(block))
            case AnswerForm():
                out.append(_form(block))
            case Form():
                out.append(form_html(block))
            case Footer():
                if open_section:
                    out.append("</section>")
                    open_section = False
                out.append(
                    f"</main>\n<footer><p>{_e(tr('Exported from iduit.'))} {_e(block.note)}</p>"
                    f"<p>{_e(tr('Original publication:'))} {_e(block.citation)}</p></footer>"
                )
            case _:
                unhandled(block)
    flush_glossary()
    return out


def render(document: Document, linker: Linker) -> str:
    out = blocks_html(document.blocks, linker)
    home = linker.home()
    nav = f'<nav class="home"><a href="{_e(home)}">{_e(tr("Contents"))}</a></nav>\n' if home else ""
    css = CSS + (REPORT_CSS if any(isinstance(b, _REPORT_BLOCKS) for b in document.blocks) else "")
    css += FORM_CSS if any(isinstance(b, Form) for b in document.blocks) else ""
    # A page of one job aid that prints landscape is landscape to its end: its footer too.
    items = [n for n, b in enumerate(document.blocks) if isinstance(b, Heading) and b.item_id]
    wide = bool(items) and all(_wide_form_follows(document.blocks, n + 1) for n in items)
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(document.lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>{_e(document.title)} — {_e(document.brand)}</title>\n<style>{css}</style>\n</head>\n"
        f"<body{_class('wide' if wide else '')}>\n{nav}<main>\n" + "\n".join(out) + "\n</body>\n</html>\n"
    )
