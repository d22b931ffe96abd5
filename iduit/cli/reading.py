"""Reading the guidance: search, show, toc, define, tools and tags."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from iduit.cli.common import (
    Command,
    JsonOpt,
    PagerOpt,
    PlainOpt,
    WordsCommand,
    commands,
    print_json,
    settings,
    with_store,
)
from iduit.cli.common import show as show_renderable

if TYPE_CHECKING:
    from iduit.search.store import Store


@commands.command(cls=WordsCommand)
def search(
    ctx: typer.Context,
    query: Annotated[list[str], typer.Argument(metavar="WORDS...", help="What to look for.")],
    chapter: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--chapter", "-c", metavar="N", min=0, max=99, help="Only chapter N (0 = introduction)."),
    ] = None,
    tag: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--tag",
            "-t",
            metavar="TAG",
            help="Only with this tag.",
        ),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", metavar="N", min=1, max=1000, help="Show N results.")] = 10,
    as_json: JsonOpt = False,
    plain: PlainOpt = False,
    pager: PagerOpt = None,
) -> None:
    """Search: the sections and job aids that answer your words.

    Example: iduit search needle exchange --chapter 3

    \b
    Leave a word out:      iduit search naloxone -prison
    Find an exact phrase:  iduit search '"take-home doses"'
    """
    from iduit.search.query import require_hits, search

    text = " ".join(query)
    found = with_store(ctx, lambda store: search(store, text, chapter=chapter, tag=tag, limit=limit))
    if as_json:
        print_json(found.to_dict())
    elif found.total:
        from iduit.formats.terminal import search_view

        show_renderable(ctx, search_view(found, plain=plain), plain=plain, pager=pager)
    require_hits(found, chapter=chapter, tag=tag)


@commands.command(cls=Command)
def show(
    ctx: typer.Context,
    target: Annotated[
        list[str], typer.Argument(metavar="WHAT...", help="A section (3.12), chapter 3, intro, or a job aid (T3).")
    ],
    plain: PlainOpt = False,
    pager: PagerOpt = None,
) -> None:
    """Read a section, a whole chapter or a job aid.

    Examples: iduit show 3.12 · iduit show chapter 3 · iduit show intro · iduit show T8
    """
    from iduit.content.targets import parse_targets, resolve
    from iduit.formats.terminal import document_view
    from iduit.outline import document

    targets = parse_targets(target)

    def gather(store: Store) -> Any:
        items = resolve(store.content, targets)
        return document(store.content, items, related=store.related_for(items))

    show_renderable(ctx, document_view(with_store(ctx, gather), plain=plain), plain=plain, pager=pager)


@commands.command(cls=Command)
def toc(ctx: typer.Context, as_json: JsonOpt = False, plain: PlainOpt = False, pager: PagerOpt = None) -> None:
    """The table of contents.

    Example: iduit toc
    """
    content = settings(ctx).store().content
    if as_json:
        from iduit.outline import toc_data

        print_json(toc_data(content))
    else:
        from iduit.formats.terminal import toc_view

        show_renderable(ctx, toc_view(content), plain=plain, pager=pager)


@commands.command(cls=Command)
def define(
    ctx: typer.Context,
    term: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(metavar="TERM...", help="An acronym or term, e.g. OST or 'harm reduction'."),
    ] = None,
    every: Annotated[bool, typer.Option("--list", help="List every glossary term.")] = False,
    as_json: JsonOpt = False,
    plain: PlainOpt = False,
    pager: PagerOpt = None,
) -> None:
    """Look up an acronym or term in the glossary.

    Examples: iduit define OST · iduit define --list
    """
    from iduit.content.glossary import lookup
    from iduit.outline import glossary_document

    content = settings(ctx).store().content
    document = glossary_document(content, None if every else lookup(content, " ".join(term or [])))
    if as_json:
        print_json(document.data)
    else:
        from iduit.formats.terminal import document_view

        show_renderable(ctx, document_view(document, plain=plain), plain=plain, pager=pager)


@commands.command(cls=Command)
def tools(ctx: typer.Context, as_json: JsonOpt = False, plain: PlainOpt = False, pager: PagerOpt = None) -> None:
    """List the job aids (forms, checklists, model texts).

    Example: iduit tools, then iduit show T8
    """
    from iduit.formats.terminal import tools_view

    content = settings(ctx).store().content
    if as_json:
        print_json({"tools": [{"id": t.id, "title": t.title, "purpose": t.purpose} for t in content.tools]})
    else:
        show_renderable(ctx, tools_view(content), plain=plain, pager=pager)


@commands.command(cls=Command)
def tags(ctx: typer.Context, as_json: JsonOpt = False, plain: PlainOpt = False, pager: PagerOpt = None) -> None:
    """List the tags, for search --tag.

    Example: iduit tags
    """
    from iduit.search.query import tag_counts

    counts = tag_counts(settings(ctx).store().content)
    if as_json:
        print_json({"tags": [{"tag": tag, "count": n} for tag, n in counts]})
    else:
        from iduit.formats.terminal import tags_view

        show_renderable(ctx, tags_view(counts), plain=plain, pager=pager)
