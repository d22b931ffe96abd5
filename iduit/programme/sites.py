"""Several sites' self-assessments side by side: a score per site and chapter, and the gaps most sites share.

Each site is an assessment file, loaded (and reconciled with the content, as
one file is) by the caller; here they are only scored and compared. The
scores are the single report's (``assessment.report``), so a site's row reads
exactly as its own report does. Data only: the wording and layout are
``iduit.outline.programme``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iduit.clock import today
from iduit.errors import UsageError
from iduit.language.messages import tr
from iduit.programme.actions import actions_version, all_actions
from iduit.programme.assessment import GAP_STATUSES, Assessment, Changes, report

if TYPE_CHECKING:
    from iduit.content.model import Content

ASSESSMENT_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class ChapterColumn:
    """A chapter that at least one site assessed: a column of the table."""

    number: int
    title: str
    heading: str


@dataclass(frozen=True)
class SiteChapter:
    number: int
    title: str
    score: float | None
    answered: int
    total: int


@dataclass(frozen=True)
class Site:
    title: str  # as the table shows it: the assessment's title, with its file name when two sites share a title
    file: str  # the file as it was given
    score: float | None
    answered: int
    total: int
    chapters: tuple[SiteChapter, ...]  # only the chapters this site assessed, in content order
    changes: tuple[str, ...] = ()  # how the content moved on since this site's file was made

    def chapter(self, number: int) -> SiteChapter | None:
        return next((c for c in self.chapters if c.number == number), None)


@dataclass(frozen=True)
class CommonGap:
    """An action answered 'not yet' or 'partly' at ``sites`` sites (of ``at``, the sites' titles)."""

    action: str
    section: str
    section_title: str
    text: str
    sites: int
    not_yet: int
    partly: int
    at: tuple[str, ...]


@dataclass(frozen=True)
class SitesReport:
    sites: tuple[Site, ...]
    chapters: tuple[ChapterColumn, ...]
    common_gaps: tuple[CommonGap, ...]  # every action that is a gap at two sites or more, most sites first
    content_version: str
    made: str


def assessment_files(paths: Sequence[Path]) -> list[Path]:
    """The files named, a folder standing for its assessment files (*.yaml, *.yml, by name); a folder with none
    is refused, naming it."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in ASSESSMENT_SUFFIXES and not p.is_dir())
            if not found:
                raise UsageError(tr("{folder} holds no assessment files (*.yaml)").format(folder=path))
            files += found
        else:
            files.append(path)
    return files


def _titles(assessments: Sequence[tuple[Assessment, str]]) -> list[str]:
    """Each site's title; a title two files share gets its file name, so no two rows read the same."""
    titles = [a.title for a, _ in assessments]
    return [f"{a.title} ({Path(f).name})" if titles.count(a.title) > 1 else a.title for a, f in assessments]


def sites_report(
    content: Content,
    assessments: Sequence[tuple[Assessment, str]],
    changes: Sequence[Changes | None] = (),
) -> SitesReport:
    """Scores per site and chapter, and the common gaps, for assessments already loaded (``(assessment, file)``)."""
    sites: list[Site] = []
    gap_at: dict[str, list[tuple[str, str]]] = {}
    titles = _titles(assessments)
    for i, ((assessment, file), title) in enumerate(zip(assessments, titles, strict=True)):
        moved = changes[i] if i < len(changes) else None
        rep = report(assessment, content, moved)
        chapters = tuple(SiteChapter(c.number, c.title, c.score, c.answered, c.total) for c in rep.chapters)
        sites.append(Site(title, file, rep.score, rep.answered, rep.total, chapters, rep.changes))
        for entry in assessment.entries:
            if entry.status in GAP_STATUSES:
                gap_at.setdefault(entry.action, []).append((title, entry.status))
    assessed = {c.number for s in sites for c in s.chapters}
    columns = tuple(ChapterColumn(c.number, c.title, c.heading) for c in content.chapters if c.number in assessed)
    actions = all_actions(content)
    order = {a.id: i for i, a in enumerate(actions)}
    texts = {a.id: a for a in actions}
    section_titles = {s.id: s.title for s in content.sections()}
    shared = sorted(
        (a for a, at in gap_at.items() if len(at) > 1 and a in texts),
        key=lambda a: (-len(gap_at[a]), order[a]),
    )
    common = tuple(
        CommonGap(
            a,
            texts[a].section,
            section_titles.get(texts[a].section, ""),
            texts[a].text,
            len(gap_at[a]),
            sum(1 for _, status in gap_at[a] if status == "not yet"),
            sum(1 for _, status in gap_at[a] if status == "partly"),
            tuple(title for title, _ in gap_at[a]),
        )
        for a in shared
    )
    return SitesReport(tuple(sites), columns, common, actions_version(content), today())


def sites_data(rep: SitesReport, version: str) -> dict[str, Any]:
    """The report as data, in the documented JSON shape; ``version`` is the iduit that made it."""
    return {
        "made": rep.made,
        "iduit_version": version,
        "content_version": rep.content_version,
        "sites": [
            {
                "title": s.title,
                "file": s.file,
                "score": s.score,
                "answered": s.answered,
                "total": s.total,
                "chapters": [
                    {"chapter": c.number, "title": c.title, "score": c.score, "answered": c.answered, "total": c.total}
                    for c in s.chapters
                ],
            }
            for s in rep.sites
        ],
        "common_gaps": [
            {
                "action": g.action,
                "section": g.section,
                "text": g.text,
                "sites": g.sites,
                "not_yet": g.not_yet,
                "partly": g.partly,
                "at": list(g.at),
            }
            for g in rep.common_gaps
        ],
    }


def sites_rows(rep: SitesReport) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """A row per site for a spreadsheet: the overall figures, then score, answered and total per chapter."""
    columns = ["site", "file", "score", "answered", "total"]
    for c in rep.chapters:
        columns += [f"chapter_{c.number}_score", f"chapter_{c.number}_answered", f"chapter_{c.number}_total"]
    rows = []
    for s in rep.sites:
        row = [s.title, s.file, _cell(s.score), str(s.answered), str(s.total)]
        for column in rep.chapters:
            mine = s.chapter(column.number)
            row += [_cell(mine.score), str(mine.answered), str(mine.total)] if mine else ["", "", ""]
        rows.append(tuple(row))
    return tuple(columns), tuple(rows)


def _cell(score: float | None) -> str:
    return "" if score is None else f"{score:g}"
