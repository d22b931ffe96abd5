"""Export sections and chapters as Markdown, JSON or standalone HTML, and write files safely."""

from __future__ import annotations

import contextlib
import html
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from iduit.errors import ExportError, UsageError
from iduit.model import Chapter, Content, Section
from iduit.text import shift_headings

FORMATS = {"markdown": "md", "json": "json", "html": "html"}


@dataclass(frozen=True)
class Links:
    """How see-also references are written: as links between exported files, or not."""

    between_files: bool = False
    extension: str = "md"

    def target(self, section_id: str) -> str | None:
        if not self.between_files:
            return None
        chapter = section_id.split(".", 1)[0]
        return f"{chapter_file_name(int(chapter), self.extension)}#{anchor(section_id)}"


def anchor(section_id: str) -> str:
    return "section-" + section_id.replace(".", "-")


def chapter_file_name(number: int, extension: str) -> str:
    return f"chapter-{number}.{extension}"


def _md_inline(text: str) -> str:
    """One-line text safe to place in Markdown list items and headings."""
    return " ".join(text.split())


def footer_markdown(content: Content) -> str:
    toolkit = content.toolkit
    return (
        f"---\n\n*Exported from iduit. {toolkit.digest_note}*\n\n"
        f"*Original publication: {_md_inline(toolkit.citation)}*\n"
    )


def section_markdown(section: Section, content: Content, *, level: int = 1, links: Links = Links()) -> str:
    """One section as CommonMark: heading, summary, body, key points, actions as a checklist, links."""
    h = "#" * level
    sub = "#" * (level + 1)
    chapter = content.chapter(section.chapter)
    lines = [f'<a id="{anchor(section.id)}"></a>', "", f"{h} {section.id} {_md_inline(section.title)}", ""]
    if level == 1 and chapter is not None:
        lines += [f"*{_md_inline(chapter.heading)}*", ""]
    lines += [_md_inline(section.summary), "", shift_headings(section.body.strip(), level), ""]
    lines += [f"{sub} Key points", ""] + [f"- {_md_inline(p)}" for p in section.key_points] + [""]
    lines += [f"{sub} Actions", ""] + [f"- [ ] {_md_inline(a)}" for a in section.actions] + [""]
    if section.examples:
        lines += [f"{sub} Examples", ""]
        for example in section.examples:
            lines += [f"{sub}# {_md_inline(example.title)} ({_md_inline(example.place)})", "", example.text, ""]
    if section.see_also:
        lines += [f"{sub} See also", ""]
        for ref in section.see_also:
            other = content.section(ref)
            label = f"{ref} {_md_inline(other.title) if other else ''}".strip()
            target = links.target(ref)
            lines.append(f"- [{label}]({target})" if target else f"- {label}")
        lines.append("")
    cited = [content.sources[s] for s in section.sources if s in content.sources]
    if cited:
        lines += [f"{sub} Sources", ""] + [f"- {_md_inline(s.cite())}" for s in cited] + [""]
    return "\n".join(lines)


def chapter_markdown(chapter: Chapter, content: Content, *, links: Links = Links()) -> str:
    lines = [f"# {_md_inline(chapter.heading)}", "", chapter.summary, ""]
    lines += ["Sections:", ""]
    lines += [f"- [{s.id} {_md_inline(s.title)}](#{anchor(s.id)})" for s in chapter.sections] + [""]
    body = "\n".join(section_markdown(s, content, level=2, links=links) for s in chapter.sections)
    return "\n".join(lines) + "\n" + body


Item = Section | Chapter


def to_markdown(items: Sequence[Item], content: Content, *, links: Links = Links()) -> str:
    parts = [
        chapter_markdown(item, content, links=links)
        if isinstance(item, Chapter)
        else section_markdown(item, content, links=links)
        for item in items
    ]
    return "\n".join(parts) + "\n" + footer_markdown(content)


def to_json(items: Sequence[Item], content: Content) -> str:
    data = [item.to_dict() for item in items]
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2) + "\n"


def _render_html_markdown(text: str) -> str:
    from markdown_it import MarkdownIt

    # Raw HTML in content is escaped, never passed through.
    return str(MarkdownIt("commonmark", {"html": False}).enable("table").render(text))


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:46rem;margin:2rem auto;
padding:0 1rem;line-height:1.55;color:#1b1b1b}
h1,h2,h3{line-height:1.25} .summary{font-style:italic} table{border-collapse:collapse}
td,th{border:1px solid #bbb;padding:.3rem .5rem} ul.actions{list-style:none;padding-left:1rem}
.example{border:1px solid #bbb;border-radius:6px;padding:.2rem 1rem;margin:1rem 0}
footer{margin-top:3rem;font-size:.9rem;color:#555;border-top:1px solid #ccc}
@media print{body{margin:0;max-width:none}}
"""


def _section_html(section: Section, content: Content, level: int, links: Links) -> str:
    e = html.escape
    h, sub = f"h{level}", f"h{level + 1}"
    out = [f'<section id="{anchor(section.id)}">', f"<{h}>{e(section.id)} {e(section.title)}</{h}>"]
    out.append(f'<p class="summary">{e(section.summary)}</p>')
    out.append(_render_html_markdown(shift_headings(section.body, level)))
    out.append(f"<{sub}>Key points</{sub}><ul>" + "".join(f"<li>{e(p)}</li>" for p in section.key_points) + "</ul>")
    out.append(
        f'<{sub}>Actions</{sub}><ul class="actions">'
        + "".join(f'<li><input type="checkbox" disabled> {e(a)}</li>' for a in section.actions)
        + "</ul>"
    )
    for example in section.examples:
        out.append(
            f'<div class="example"><{sub}>{e(example.title)} ({e(example.place)})</{sub}><p>{e(example.text)}</p></div>'
        )
    if section.see_also:
        items = []
        for ref in section.see_also:
            other = content.section(ref)
            label = e(f"{ref} {other.title if other else ''}".strip())
            target = links.target(ref)
            items.append(f'<li><a href="{e(target)}">{label}</a></li>' if target else f"<li>{label}</li>")
        out.append(f"<{sub}>See also</{sub}><ul>" + "".join(items) + "</ul>")
    cited = [content.sources[s] for s in section.sources if s in content.sources]
    if cited:
        out.append(f"<{sub}>Sources</{sub}><ul>" + "".join(f"<li>{e(s.cite())}</li>" for s in cited) + "</ul>")
    out.append("</section>")
    return "\n".join(out)


def to_html(items: Sequence[Item], content: Content, *, links: Links = Links()) -> str:
    e = html.escape
    body: list[str] = []
    titles: list[str] = []
    for item in items:
        if isinstance(item, Chapter):
            titles.append(item.heading)
            body.append(f"<h1>{e(item.heading)}</h1>\n<p>{e(item.summary)}</p>")
            body += [_section_html(s, content, 2, links) for s in item.sections]
        else:
            titles.append(f"{item.id} {item.title}")
            body.append(_section_html(item, content, 1, links))
    toolkit = content.toolkit
    footer = (
        f"<footer><p>Exported from iduit. {e(toolkit.digest_note)}</p>"
        f"<p>Original publication: {e(toolkit.citation)}</p></footer>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e('; '.join(titles))} — {e(toolkit.short_title)} digest</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{chr(10).join(body)}\n</main>\n{footer}\n</body>\n</html>\n"
    )


def render(items: Sequence[Item], content: Content, fmt: str, *, links: Links = Links()) -> str:
    if fmt == "markdown":
        return to_markdown(items, content, links=links)
    if fmt == "json":
        return to_json(items, content)
    if fmt == "html":
        return to_html(items, content, links=links)
    raise UsageError(f"unknown format '{fmt}' (choose markdown, json or html)")


def index_page(content: Content, fmt: str) -> str:
    """The index file of an --all export: the toolkit and links to every chapter file."""
    ext = FORMATS[fmt]
    toolkit = content.toolkit
    if fmt == "json":
        return json.dumps(content.to_dict(), ensure_ascii=False, indent=2) + "\n"
    lines = [f"# {toolkit.short_title}: {_md_inline(toolkit.title)}", "", toolkit.digest_note, ""]
    for chapter in content.chapters:
        lines.append(f"- [{_md_inline(chapter.heading)}]({chapter_file_name(chapter.number, ext)})")
        for s in chapter.sections:
            target = f"{chapter_file_name(chapter.number, ext)}#{anchor(s.id)}"
            lines.append(f"  - [{s.id} {_md_inline(s.title)}]({target})")
    text = "\n".join(lines) + "\n\n" + footer_markdown(content)
    if fmt == "markdown":
        return text
    e = html.escape
    page = _render_html_markdown("\n".join(lines))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(toolkit.short_title)} digest</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{page}\n</main>\n<footer><p>Original publication: {e(toolkit.citation)}</p></footer>\n"
        "</body>\n</html>\n"
    )


def export_all(content: Content, fmt: str) -> dict[str, str]:
    """File name -> text for a whole-toolkit export: one file per chapter plus an index."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}' (choose markdown, json or html)")
    ext = FORMATS[fmt]
    links = Links(between_files=True, extension=ext)
    files = {chapter_file_name(c.number, ext): render([c], content, fmt, links=links) for c in content.chapters}
    files[f"index.{ext}"] = index_page(content, fmt)
    return files


# -- writing -------------------------------------------------------------------


def write_new_file(path: Path, text: str, *, force: bool = False) -> None:
    """Write ``text`` to ``path`` atomically; refuse to replace a file unless ``force``."""
    if path.is_dir():
        raise ExportError(f"{path} is a directory; give a file name")
    parent = path.parent
    if not parent.is_dir():
        raise ExportError(f"cannot write {path}: folder {parent} does not exist")
    if path.exists() and not force:
        raise ExportError(f"{path} already exists; use --force to overwrite it")
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ExportError(f"cannot write to {parent}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        if force:
            os.replace(tmp, path)
        else:
            # link() fails if the name was taken meanwhile: never clobber by a race.
            try:
                os.link(tmp, path)
            except FileExistsError as exc:
                raise ExportError(f"{path} already exists; use --force to overwrite it") from exc
            except OSError:
                os.replace(tmp, path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def write_all(directory: Path, files: dict[str, str], *, force: bool = False) -> list[Path]:
    """Write an --all export into ``directory`` (created if needed), all or nothing up front."""
    if directory.exists() and not directory.is_dir():
        raise ExportError(f"{directory} is a file; --all needs a folder")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create folder {directory}: {exc.strerror or exc}") from exc
    root = directory.resolve()
    targets = [(root / name, text) for name, text in files.items()]
    for target, _ in targets:
        if target.parent != root:  # file names are ours, but never trust a join
            raise ExportError(f"refusing to write {target} outside {root}")
    clashes = [str(t) for t, _ in targets if t.exists()]
    if clashes and not force:
        raise ExportError(f"{clashes[0]} already exists ({len(clashes)} files would be replaced); use --force")
    written = []
    for target, text in targets:
        write_new_file(target, text, force=force)
        written.append(target)
    return written


def resolve_items(content: Content, targets: Sequence[tuple[str, str]]) -> list[Item]:
    """Content items for parsed targets (see ``iduit.targets``)."""
    from iduit.targets import missing

    items: list[Item] = []
    for kind, value in targets:
        item: Item | None = content.chapter(int(value)) if kind == "chapter" else content.section(value)
        if item is None:
            raise missing(kind, value, [s.id for s in content.sections()], [c.number for c in content.chapters])
        items.append(item)
    return items
