"""Benchmark: ingest of your own catalog at scale (``tastebud bench ingest --rows 100000``).

Writes a synthetic CSV catalog of ``rows`` books (id, title, description, genres, year) and a
synthetic interactions file, then times

* ``encode``: the embedder alone on every item's text (the floor: what ingest cannot beat);
* ``ingest``: what ``tastebud ingest --catalog FILE --interactions FILE`` does — read and check
  the files, build the catalog, embed, write the Chroma collection (staging, swap), save the
  catalog and the interactions.

``ratio = encode seconds / ingest seconds`` (ingest throughput over encode throughput; goal
≥ 0.8 with the real model, where encoding dominates), in wall-clock and in CPU seconds of the
process (steadier on a shared machine); ``overhead_cpu_ms_per_item`` is what ingest adds to
encoding per item, which gives the real model's ratio at any size from its encode rate. ``--model hashing`` uses
:class:`tastebud.testing.HashingEmbedder` (cheap vectors, so the ratio exposes the overhead of
reading, Chroma and saving); ``--model real`` the shipped all-MiniLM-L6-v2 (use a smaller
``--rows`` on a loaded machine). Not a test: figures only.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

__all__ = ["register", "run", "write_synthetic"]

_GENRES = ["Fantasy", "Science Fiction", "History", "Poetry", "Young Adult", "Classics", "Mystery", "Romance"]
_WORDS = ["river", "mountain", "city", "war", "love", "secret", "king", "queen", "ship", "storm", "dragon", "letter", "garden", "winter", "empire", "detective", "island", "family", "journey", "machine", "forest", "memory", "ghost", "painter", "village"]


def write_synthetic(folder: Path, rows: int, *, users: int | None = None, seed: int = 0) -> tuple[Path, Path]:
    """Write ``books.csv`` (``rows`` items) and ``reads.csv`` (about 10 reads per user) into ``folder``."""
    rng = np.random.default_rng(seed)
    books, reads = folder / "books.csv", folder / "reads.csv"
    words = np.array(_WORDS)
    with open(books, "w", encoding="utf-8") as fh:
        fh.write("id,title,description,genres,year\n")
        for i in range(rows):
            title = " ".join(words[rng.integers(0, len(words), 3)]).title()
            text = " ".join(words[rng.integers(0, len(words), 18)])
            genres = "|".join(sorted({_GENRES[g] for g in rng.integers(0, len(_GENRES), 2)}))
            fh.write(f"b{i},{title} {i},{text},{genres},{1900 + int(rng.integers(0, 125))}\n")
    users = users or max(10, rows // 10)
    with open(reads, "w", encoding="utf-8") as fh:
        fh.write("user,item,rating\n")
        for u in range(users):
            fh.writelines(f"r{u},b{item},{int(rng.integers(1, 6))}\n" for item in rng.integers(0, rows, 10))
    return books, reads


def run(rows: int = 100_000, *, model: str = "hashing", progress: bool = False) -> dict:
    """Time encode alone and the whole ingest on a synthetic catalog of ``rows`` items.

    Args:
        rows: Catalog size.
        model: ``hashing`` (:class:`~tastebud.testing.HashingEmbedder`) or ``real`` (the shipped model).
        progress: Show the ingest progress bar (as the CLI does).
    """
    from tastebud.catalogs import load_catalog
    from tastebud.embedding import Embedder
    from tastebud.loaders import ColumnMapping, LoadReport
    from tastebud.services import Services
    from tastebud.settings import Settings
    from tastebud.testing import HashingEmbedder
    from tqdm import tqdm

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        books, reads = write_synthetic(folder, rows)
        settings = Settings(home=folder / "home")
        embedder = HashingEmbedder(dim=384) if model == "hashing" else Embedder(batch_size=settings.batch_size,
                                                                                threads=settings.torch_threads)
        texts = [item.document() for item in load_catalog(settings, str(books), mapping=ColumnMapping())]
        embedder.encode(texts[:64])  # warm-up (loads the model)
        start, cpu = time.perf_counter(), time.process_time()
        embedder.encode(texts)
        encode_s, encode_cpu = time.perf_counter() - start, time.process_time() - cpu
        services = Services(settings, embedder=embedder)
        bar = tqdm(total=rows, unit="item", desc="ingest", disable=not progress)
        report = LoadReport()
        start, cpu = time.perf_counter(), time.process_time()
        result = services.ingest(str(books), mapping=ColumnMapping(), report=report, interactions=reads,
                                 progress=bar.update)
        ingest_s, ingest_cpu = time.perf_counter() - start, time.process_time() - cpu
        bar.close()
    return {"rows": rows, "model": model, "encode_s": round(encode_s, 2), "ingest_s": round(ingest_s, 2),
            "encode_items_per_s": round(rows / encode_s, 1), "ingest_items_per_s": round(rows / ingest_s, 1),
            "ingest_to_encode_ratio": round(encode_s / ingest_s, 3), "overhead_s": round(ingest_s - encode_s, 2),
            "encode_cpu_s": round(encode_cpu, 2), "ingest_cpu_s": round(ingest_cpu, 2),
            "ingest_to_encode_ratio_cpu": round(encode_cpu / ingest_cpu, 3),
            "overhead_cpu_ms_per_item": round(1000 * (ingest_cpu - encode_cpu) / rows, 3),
            "embedded": result.embedded, "interactions": result.interactions, "skipped": len(report.problems)}


def bench_ingest(
    rows: Annotated[int, typer.Option(min=10, help="Synthetic catalog size.")] = 100_000,
    model: Annotated[str, typer.Option(help="hashing (cheap vectors) or real (all-MiniLM-L6-v2).")] = "hashing",
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Ingest a synthetic catalog of ROWS items with interactions: ingest vs encode-only throughput."""
    if model not in ("hashing", "real"):
        raise typer.BadParameter("--model takes hashing or real")
    res = run(rows, model=model, progress=not as_json)
    if as_json:
        typer.echo(json.dumps(res, indent=2))
        return
    typer.echo(f"{res['rows']} rows, {res['model']} embedder: ingest {res['ingest_s']} s "
               f"({res['ingest_items_per_s']} items/s) vs encode {res['encode_s']} s "
               f"({res['encode_items_per_s']} items/s) -> ratio {res['ingest_to_encode_ratio']} (goal >= 0.8); "
               f"{res['interactions']} interactions")


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add ``ingest`` to the ``bench`` group (created here if no module added it before)."""
    group = next((g.typer_instance for g in app.registered_groups if g.name == "bench"), None)
    if group is None:
        group = typer.Typer(help="Benchmarks.")
        app.add_typer(group, name="bench")
    group.command("ingest")(bench_ingest)
