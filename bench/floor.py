"""The floor any Typer + rich + Whoosh program pays to start: the yardstick for iduit's start-up."""

import rich.console  # noqa: F401
import typer
import whoosh.index
import whoosh.qparser  # noqa: F401

app = typer.Typer()


@app.command()
def search(query: list[str]) -> None:
    pass


app()
