"""Benchmark of offline turn understanding: linker build time and parse p50/p95.

Run: ``python -m tastebud.evals.bench_nlu [--turns 200] [--json]``. Uses the shipped MovieLens
catalog; prints build time and per-turn latency over a scripted mix of ~200 turns (titles,
typos, genres, negation, years, follow-ups, long and odd input), after one warm-up pass.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

__all__ = ["TURNS", "run", "main"]

TURNS = (
    "I loved The Matrix and Alien, but no horror please",
    "something from before 1990",
    "why the first one?",
    "something like Alien but funnier, nothing before 1990",
    "i loved the matirx and the shawshank redemtion",
    "more like the second one",
    "I've seen that",
    "seen the first two",
    "show me something else",
    "a scary space movie from the 80s or 90s",
    "not a fan of musicals, anything but romance",
    "I hated Titanic but Heat was great",
    "Ocean's Eleven (1960)",
    "recommend something",
    "hi",
    "thanks!",
    "start over",
    "what do you know about me",
    "space adventure with aliens and time travel",
    "I want to go out and see it",
    "the heat is on",
    "Я люблю фильмы ужасов",
    "'; DROP TABLE users; --",
    "I loved The Godfather, Goodfellas, Casino and Heat; nothing after 2005 and no westerns",
    "I'd like a feel good family movie for tonight with the kids, animated if possible",
)


def run(n_turns: int = 200) -> dict:
    """Build a linker over the shipped catalog and time ``n_turns`` parses.

    Returns:
        ``{"build_s", "turns", "p50_ms", "p95_ms", "max_ms", "long_input_ms"}``.
    """
    from tastebud.bundled import load_bundled_catalog
    from tastebud.nlu import TitleLinker, parse_turn

    catalog = load_bundled_catalog("movies")
    t0 = time.perf_counter()
    linker = TitleLinker(catalog)
    build = time.perf_counter() - t0
    last = ["ml:6", "ml:2571", "ml:1214", "ml:1721", "ml:47"]
    for text in TURNS:  # warm-up
        parse_turn(text, linker, last_recommendations=last)
    times = []
    for k in range(n_turns):
        text = TURNS[k % len(TURNS)]
        t0 = time.perf_counter()
        parse_turn(text, linker, last_recommendations=last)
        times.append((time.perf_counter() - t0) * 1000)
    long_text = "I loved The Matrix and " + "blah blah Heat " * 8000
    t0 = time.perf_counter()
    parse_turn(long_text, linker)
    long_ms = (time.perf_counter() - t0) * 1000
    times.sort()
    return {
        "build_s": round(build, 3),
        "turns": n_turns,
        "p50_ms": round(statistics.median(times), 3),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 3),
        "max_ms": round(times[-1], 3),
        "long_input_ms": round(long_ms, 2),
    }


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.turns)
    if args.json:
        print(json.dumps(result))
        return
    print(f"linker build      {result['build_s'] * 1000:8.1f} ms")
    print(f"parse p50         {result['p50_ms']:8.3f} ms  ({result['turns']} turns)")
    print(f"parse p95         {result['p95_ms']:8.3f} ms")
    print(f"parse max         {result['max_ms']:8.3f} ms")
    print(f"100k-char input   {result['long_input_ms']:8.2f} ms  (parsed first 4000 chars)")


if __name__ == "__main__":
    main()
