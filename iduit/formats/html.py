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
.notice{font-weight:bold} figure.chart{margin:1rem 0;max-width:100%;overflow-x:auto}
figure.chart svg{max-width:100%;height:auto} svg text{font-family:inherit;font-size:12px;fill:currentColor}
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


PAGE = Markup()
SITE = Markup("body", "links", "sources", "source", glossary_list=True, align_classes=True)
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


def chart_svg(chart: BarChart) -> str:
    """A horizontal bar chart as inline SVG (no script, no fonts, no network).

    Bar lengths are proportional to their values on one scale; labels sit on their own line
    above each bar, so long titles are never cut, and the drawing scales down to a phone's width.
    """
    plot_width, value_width, row = 420, 150, 40
    top = 6 + (16 if chart.zones else 0) + (16 if chart.marks else 0)
    width = plot_width + value_width
    height = top + row * max(1, len(chart.bars)) + 6
    maximum = chart.maximum
    scale = plot_width / maximum if maximum > 0 else 0.0

    def x(value: float) -> float:
        return max(0.0, min(value, maximum)) * scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{_e(chart.title)}"><title>{_e(chart.title)}</title>'
    ]
    shades = ("#f4cccc", "#fff2cc", "#d9ead3", "#cfe2f3")
    for i, zone in enumerate(chart.zones):
        left, right = x(zone.start), x(zone.end)
        parts.append(
            f'<rect x="{left:.1f}" y="{top - 2}" width="{max(0.0, right - left):.1f}" height="{height - top}" '
            f'fill="{shades[i % len(shades)]}" fill-opacity="0.6"/>'
            f'<text x="{(left + right) / 2:.1f}" y="14" text-anchor="middle">{_e(zone.name)}</text>'
        )
    for value, name in chart.marks:
        at = x(value)
        parts.append(
            f'<line x1="{at:.1f}" y1="{top - 4}" x2="{at:.1f}" y2="{height}" stroke="#333" stroke-dasharray="4 3"/>'
            f'<text x="{at:.1f}" y="{top - 8}" text-anchor="middle">{_e(name)}</text>'
        )
    for i, bar in enumerate(chart.bars):
        y = top + i * row
        parts.append(f'<text x="0" y="{y + 13}">{_e(bar.label)}</text>')
        parts.append(f'<rect x="0" y="{y + 18}" width="{plot_width}" height="16" fill="#999" fill-opacity="0.15"/>')
        if bar.value is not None:
            parts.append(f'<rect x="0" y="{y + 18}" width="{x(bar.value):.1f}" height="16" fill="#3d6fb6"/>')
        parts.append(f'<text x="{plot_width + 6}" y="{y + 31}">{_e(bar.shown)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(table: Table) -> str:
    def cell(tag: str, i: int, text: str) -> str:
        return f"<{tag}{_class('num' if i in table.numeric else '')}>{_e(text)}</{tag}>"

    head = "".join(cell("th", i, c) for i, c in enumerate(table.columns))
    rows = "".join(
        f"<tr{_class('strong' if n in table.strong else '')}>" + "".join(cell("td", i, c) for i, c in enumerate(r))
        for n, r in enumerate(table.rows)
    )
    return f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


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
                if block.style == "checkboxes":
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
                out.append(f'<figure class="chart">{chart_svg(block)}</figure>')
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
