"""A standalone HTML page from the outline: no scripts, no remote loads, prints well."""

from __future__ import annotations

import html

from iduit.markdown import parser
from iduit.model import Source
from iduit.outline import (
    Body,
    Caption,
    Definition,
    Document,
    ExampleBlock,
    Footer,
    Heading,
    Items,
    Linker,
    Links,
    SourceList,
    Subheading,
    Summary,
    UpdateBlock,
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
# Pages load nothing from anywhere: a copy on a USB stick behaves like the original.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


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


def render(document: Document, linker: Linker) -> str:
    out: list[str] = []
    open_section = False
    for block in document.blocks:
        if isinstance(block, Heading):
            text = block.text
            if block.item_id:
                # Each section or job aid is a <section> carrying its anchor: links and print breaks use it.
                if open_section:
                    out.append("</section>")
                out.append(f'<section class="section" id="{_e(block.anchor)}">')
                open_section = True
                text = f"{block.item_id} {block.text}"
            anchor = f' id="{_e(block.anchor)}"' if block.anchor and not block.item_id else ""
            out.append(f"<h{block.level}{anchor}>{_e(text)}</h{block.level}>")
        elif isinstance(block, Subheading):
            level = min(6, block.level)
            out.append(f"<h{level}>{_e(block.text)}</h{level}>")
        elif isinstance(block, Caption):
            out.append(f'<p class="caption">{_e(block.text)}</p>')
        elif isinstance(block, Summary):
            out.append(f'<p class="summary">{_e(block.text)}</p>')
        elif isinstance(block, Body):
            out.append(body_html(block.markdown))
        elif isinstance(block, Items):
            if block.style == "checkboxes":
                items = "".join(f'<li><label><input type="checkbox"> {_e(item)}</label></li>' for item in block.items)
                out.append(f'<ul class="actions">{items}</ul>')
            else:
                out.append("<ul>" + "".join(f"<li>{_e(item)}</li>" for item in block.items) + "</ul>")
        elif isinstance(block, ExampleBlock):
            source = f"<p>Source: {_source(block.source)}</p>" if block.source is not None else ""
            out.append(
                f'<div class="example"><p><strong>{_e(block.title)}</strong> '
                f"({_e(block.place)}, {_e(block.when)})</p><p>{_e(block.text)}</p>{source}</div>"
            )
        elif isinstance(block, UpdateBlock):
            source = f" Source: {_source(block.source)}" if block.source is not None else ""
            out.append(f'<div class="update"><p><strong>{_e(block.date)}</strong>: {_e(block.text)}{source}</p></div>')
        elif isinstance(block, Links):
            out.append("<ul>" + "".join(f"<li>{_link(linker, k.id, k.title)}</li>" for k in block.links) + "</ul>")
        elif isinstance(block, SourceList):
            out.append("<ul>" + "".join(f"<li>{_source(s)}</li>" for s in block.sources) + "</ul>")
        elif isinstance(block, Definition):
            name = f"<strong>{_e(block.term)}</strong>" + (f" ({_e(block.expansion)})" if block.expansion else "")
            links = ", ".join(_link(linker, link.id, link.title) for link in block.links)
            out.append(f"<dl><dt>{name}</dt><dd><p>{_e(block.definition)}</p>")
            out.append(f"<p>Sections: {links}</p></dd></dl>" if links else "</dd></dl>")
        elif isinstance(block, Footer):
            if open_section:
                out.append("</section>")
                open_section = False
            out.append(
                f"</main>\n<footer><p>Exported from iduit. {_e(block.note)}</p>"
                f"<p>Original publication: {_e(block.citation)}</p></footer>"
            )
    home = linker.home()
    nav = f'<nav class="home"><a href="{_e(home)}">Contents</a></nav>\n' if home else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>{_e(document.title)} — {_e(document.brand)}</title>\n<style>{CSS}</style>\n</head>\n"
        f"<body>\n{nav}<main>\n" + "\n".join(out) + "\n</body>\n</html>\n"
    )
