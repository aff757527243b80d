"""The ``tastebud`` console script. Heavy imports happen inside commands, never at import."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from .cli_options import BackendOpt, HomeOpt
from .errors import TastebudError

__all__ = ["app", "main"]

app = typer.Typer(help="tastebud: a conversational recommender you can chat with, script and embed.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
data_app = typer.Typer(help="Rebuild the data shipped in the package.", no_args_is_help=True)
eval_app = typer.Typer(help="Offline evaluations (metrics, reports, plots).", no_args_is_help=True)
app.add_typer(data_app, name="data")
app.add_typer(eval_app, name="eval")

CatalogOpt = Annotated[str | None, typer.Option("--catalog", help="movies, redial, a CSV/JSONL path, or an ingested name.")]


def _settings(home: Path | None = None, catalog: str | None = None):
    from .settings import Settings

    overrides = {k: v for k, v in {"home": home, "catalog": catalog}.items() if v is not None}
    return Settings(**overrides)


def _services(home: Path | None = None, catalog: str | None = None):
    from .services import Services

    return Services(_settings(home, catalog))


@app.command()
def ingest(
    catalog: CatalogOpt = None,
    home: HomeOpt = None,
    id_col: Annotated[str, typer.Option(help="User catalog: id column.")] = "id",
    title_col: Annotated[str, typer.Option(help="User catalog: title column.")] = "title",
    text_cols: Annotated[str, typer.Option(help="User catalog: comma-separated text columns.")] = "description",
    genres_col: Annotated[str, typer.Option(help="User catalog: genres/categories column.")] = "genres",
    genre_sep: Annotated[str, typer.Option(help="User catalog: separator inside the genres column.")] = "|",
    tags_col: Annotated[str, typer.Option(help="User catalog: tags column.")] = "tags",
    year_col: Annotated[str, typer.Option(help="User catalog: year or date column.")] = "year",
    popularity_col: Annotated[str | None, typer.Option(help="User catalog: numeric popularity column.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on the first malformed row.")] = False,
    encoding: Annotated[str | None, typer.Option(help="Text encoding of files that are not UTF-8 (default: UTF-8).")] = None,
    delimiter: Annotated[str | None, typer.Option(help="CSV delimiter (default: sniffed; ',' ';' or tab).")] = None,
    interactions: Annotated[Path | None, typer.Option(help="User catalog: CSV/JSONL of interactions "
                                                            "(user, item, optional rating, timestamp).")] = None,
    user_col: Annotated[str, typer.Option(help="Interactions: user column.")] = "user",
    item_col: Annotated[str, typer.Option(help="Interactions: item id column.")] = "item",
    rating_col: Annotated[str, typer.Option(help="Interactions: rating column (optional).")] = "rating",
    timestamp_col: Annotated[str, typer.Option(help="Interactions: timestamp column (optional).")] = "timestamp",
    positive_rating: Annotated[float, typer.Option(help="Interactions: ratings from this value up are liked.")] = 4.0,
    domain: Annotated[str | None, typer.Option(
        "--domain", help="User catalog: what it holds (film, book, music, game, product, item, or a .yaml/.json "
                         "spec); default: the one stored before, else inferred from its name and columns.")] = None,
) -> None:
    """Load a catalog (and its interactions) and write it to the Chroma item store (idempotent)."""
    from tqdm import tqdm

    from .bundled import BUNDLED_CATALOGS
    from .catalogs import catalog_name
    from .domain import load_domain
    from .errors import ConfigError
    from .interactions import InteractionMapping
    from .loaders import ColumnMapping, LoadReport
    from .textfiles import TextFormat

    services = _services(home, catalog)
    spec = services.settings.catalog
    mapping = None
    if catalog_name(spec) != spec:
        mapping = ColumnMapping(id_col=id_col, title_col=title_col,
                                text_cols=[c.strip() for c in text_cols.split(",") if c.strip()],
                                genres_col=genres_col or None, genre_sep=genre_sep, tags_col=tags_col or None,
                                year_col=year_col or None, popularity_col=popularity_col)
    if domain is not None and spec in BUNDLED_CATALOGS:
        raise ConfigError(f"--domain is for user catalogs; {spec} is a shipped film catalog")
    chosen = load_domain(domain) if domain is not None else None
    report = LoadReport()
    bar = tqdm(unit="item", desc=f"ingest {catalog_name(spec)}", disable=None, file=sys.stderr)

    def on_catalog(cat) -> None:
        bar.total = len(cat)
        bar.refresh()

    try:
        result = services.ingest(
            spec, mapping=mapping, strict=strict, report=report, progress=bar.update, on_catalog=on_catalog,
            domain=chosen, fmt=TextFormat(encoding, delimiter), interactions=interactions,
            interaction_mapping=InteractionMapping(user_col, item_col, rating_col or None, timestamp_col or None,
                                                   positive_rating))
    finally:
        bar.close()
    for problem in report.problems:
        typer.echo(f"skipped {problem}", err=True)
    typer.echo(f"{catalog_name(spec)}: {result.added} added, {result.updated} updated, {result.removed} removed, "
               f"{result.unchanged} unchanged ({result.embedded} embedded, {result.seconds:.1f}s)"
               + (f"; {result.interactions} interactions saved" if interactions is not None else ""))
    if spec not in BUNDLED_CATALOGS:
        held = services.catalog(spec).domain
        typer.echo(f"{catalog_name(spec)}: domain {held.name} ({held.plural}, {held.past}); change it with --domain")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What you are looking for, in plain words.")],
    k: Annotated[int, typer.Option("--k", min=1, max=500, help="Number of results.")] = 10,
    genre: Annotated[list[str] | None, typer.Option("--genre", help="Required genre (repeatable).")] = None,
    exclude_genre: Annotated[list[str] | None, typer.Option("--exclude-genre", help="Excluded genre (repeatable).")] = None,
    year_from: Annotated[int | None, typer.Option("--year-from")] = None,
    year_to: Annotated[int | None, typer.Option("--year-to")] = None,
    catalog: CatalogOpt = None,
    home: HomeOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """Semantic search over a catalog, with genre and year filters."""
    from .errors import EmptyQueryError
    from .retrieval import SearchFilters

    if not query.strip():
        raise EmptyQueryError("the search query is empty; say what you are looking for")
    services = _services(home, catalog)
    hits = services.search(query, k=k, filters=SearchFilters(genre or [], exclude_genre or [], year_from, year_to))
    if as_json:
        typer.echo(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        typer.echo("no items match these filters")
    for rank, hit in enumerate(hits, 1):
        typer.echo(f"{rank:>3}. {hit.item.label:<50} {', '.join(hit.item.genres):<40} {hit.score:.3f}")


@app.command()
def ui(
    host: Annotated[str, typer.Option(help="Interface to bind; 127.0.0.1 keeps it private.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 7860,
    share: Annotated[str, typer.Option(help="yes: ask Gradio for a public share link.")] = "no",
    auth: Annotated[str | None, typer.Option(help="USER:PASS the page asks for.")] = None,
    backend: BackendOpt = None,
    home: HomeOpt = None,
    catalog: CatalogOpt = None,
) -> None:
    """Start the chat page (on the embedded offline default unless a backend is configured)."""
    from tastebud.ui import serve

    from .errors import ConfigError
    from .services import Services
    from .settings import Settings

    if share not in ("yes", "no"):
        raise ConfigError("--share takes yes or no")
    credentials = None
    if auth is not None:
        user, sep, password = auth.partition(":")
        if not sep or not user or not password:
            raise ConfigError("--auth takes USER:PASS")
        credentials = (user, password)
    overrides = {k: v for k, v in {"home": home, "catalog": catalog, "backend": backend}.items() if v is not None}
    services = Services(Settings(**overrides))
    services.catalog()  # an unknown catalog fails here, in one line, before the page starts
    serve(services, host=host, port=port, share=share == "yes", auth=credentials)


@data_app.command("build")
def data_build(
    source: Annotated[Path, typer.Option(help="Folder with movielens-small/, tmdb5000/, redial/.")] = Path("../shared/data"),
    out: Annotated[Path | None, typer.Option(help="Output folder (default: the package data folder).")] = None,
) -> None:
    """Rebuild shipped catalogs, precomputed embeddings and ratings from the raw datasets."""
    from .bundled import build_bundle

    counts = build_bundle(source, out)
    typer.echo(", ".join(f"{name}: {n} items" for name, n in counts.items()))


def _register_commands() -> None:
    """Add the command groups that live in their own modules."""
    from tastebud.evals import (
        bench_ingest,
        cli_dialogues,
        cli_hardening,
        cli_polarity,
        cli_redial,
        cli_understanding,
    )
    from tastebud.ui import review

    from . import cli_cf, cli_chat, cli_mcp, cli_profile

    for module in (cli_chat, cli_cf, cli_profile, cli_mcp, cli_dialogues, cli_redial, cli_hardening, cli_understanding,
                   cli_polarity, bench_ingest, review):
        module.register(app, eval_app)


_register_commands()


def main() -> None:
    """Entry point: run the app, turning tastebud errors into one friendly line."""
    try:
        app()
    except TastebudError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
