"""Load test of the chat page: concurrent visitors through the public ``/chat`` API.

``run_load`` launches the page on 127.0.0.1 (a free port), lets ``visitors`` clients hold
``turns``-turn conversations at the same time through ``gradio_client``, and reports errors,
cross-user leaks and turn latency. Each visitor first states a distinct dislike (an obscure
catalog film); that film must never appear in another visitor's profile, recommendations or
replies. Everything is bounded: each turn by ``turn_timeout`` seconds, the run by
``deadline`` seconds (visitors stop starting new turns after it).
"""

from __future__ import annotations

import socket
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

__all__ = ["LIKED", "FOLLOW_UPS", "pick_dislikes", "run_load", "format_load"]

#: Popular films the visitors like (turn 2), cycled.
LIKED = ["Toy Story", "Heat", "The Matrix", "Alien", "Groundhog Day", "Pulp Fiction", "Forrest Gump",
         "The Lion King", "Fargo", "Casablanca", "Jurassic Park", "Titanic", "Die Hard", "Amélie",
         "Back to the Future", "Finding Nemo", "The Godfather", "Inception", "Goodfellas", "Jaws"]
#: Turns 3.. of every visitor (cycled when ``turns`` is larger).
FOLLOW_UPS = ["something more recent, after 1990", "why the first one?", "what do you know about me?", "more please"]


@dataclass
class _Visitor:
    index: int
    user_id: str
    dislike_id: str
    dislike_title: str
    liked: str
    latencies_ms: list[float] = field(default_factory=list)
    results: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def messages(self, turns: int) -> list[str]:
        script = [f"I hated {self.dislike_title}.", f"I loved {self.liked}. What should I watch?"]
        script += [FOLLOW_UPS[i % len(FOLLOW_UPS)] for i in range(max(0, turns - 2))]
        return script[:turns]


def pick_dislikes(services: Any, n: int, catalog: str | None = None) -> list[tuple[str, str]]:
    """``n`` distinct obscure films ``(item_id, "Title (year)")`` the offline parser links exactly.

    Obscure (2–5 ratings) so that no other visitor is recommended them by chance; titles of two
    or more words, at least 12 characters, so a title cannot hide inside ordinary text.
    """
    from tastebud.nlu import parse_turn

    cat = services.catalog(catalog)
    linker = services.linker(catalog)
    seen_titles: set[str] = set()
    out: list[tuple[str, str]] = []
    pool = sorted((i for i in cat if 2 <= i.popularity <= 5 and i.year and len(i.title) >= 12
                   and len(i.title.split()) >= 2 and i.title.isascii() and i.title.replace(" ", "").isalpha()),
                  key=lambda i: i.item_id)
    for item in pool:
        key = item.title.casefold()
        if key in seen_titles:
            continue
        parse = parse_turn(f"I hated {item.label}.", linker)
        if [m.item_id for m in parse.disliked] == [item.item_id] and not parse.liked:
            seen_titles.add(key)
            out.append((item.item_id, item.label))
            if len(out) == n:
                break
    if len(out) < n:
        raise ValueError(f"only {len(out)} linkable obscure films for {n} visitors")
    return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _profile_ids(profile: dict) -> set[str]:
    return {e.get("item_id") for key in ("liked", "disliked", "seen") for e in profile.get(key, []) or []}


def _converse(url: str, visitor: _Visitor, turns: int, turn_timeout: float, stop_at: float) -> None:
    from gradio_client import Client

    try:
        client = Client(url, verbose=False)
    except Exception as exc:  # the page did not answer at all
        visitor.errors.append(f"connect: {type(exc).__name__}: {exc}")
        return
    for n, message in enumerate(visitor.messages(turns), 1):
        if time.monotonic() > stop_at:
            visitor.errors.append(f"turn {n}: not started, the run's deadline passed")
            return
        start = time.perf_counter()
        try:
            job = client.submit(message, visitor.user_id, "load", api_name="/chat")
            out = job.result(timeout=turn_timeout)
        except Exception as exc:  # timeout, HTTP or app error: counted, the visitor stops
            visitor.errors.append(f"turn {n}: {type(exc).__name__}: {str(exc)[:200]}")
            return
        visitor.latencies_ms.append((time.perf_counter() - start) * 1000)
        if not isinstance(out, dict) or not str(out.get("reply") or "").strip():
            visitor.errors.append(f"turn {n}: empty or malformed answer")
            continue
        if out.get("user_id") != visitor.user_id:
            visitor.errors.append(f"turn {n}: answered for {out.get('user_id')!r}")
        visitor.results.append(out)
        if n == 1 and visitor.dislike_id not in {e.get("item_id") for e in out["profile"].get("disliked", [])}:
            visitor.errors.append(f"turn 1: the dislike {visitor.dislike_title} was not recorded")


def _leaks(visitors: list[_Visitor], stored: dict[str, dict]) -> list[str]:
    leaks = []
    for other in visitors:
        for v in visitors:
            if v is other:
                continue
            did, title = other.dislike_id, other.dislike_title.rsplit(" (", 1)[0]
            for n, out in enumerate(v.results, 1):
                if did in _profile_ids(out.get("profile") or {}):
                    leaks.append(f"{v.user_id} turn {n}: profile holds {other.user_id}'s dislike {did}")
                if did in {r.get("item_id") for r in out.get("recommendations") or []}:
                    leaks.append(f"{v.user_id} turn {n}: recommended {other.user_id}'s dislike {did}")
                if title.casefold() in str(out.get("reply", "")).casefold():
                    leaks.append(f"{v.user_id} turn {n}: reply names {other.user_id}'s dislike {title!r}")
            if did in _profile_ids(stored.get(v.user_id, {})):
                leaks.append(f"{v.user_id}: stored profile holds {other.user_id}'s dislike {did}")
    return leaks


def run_load(services: Any = None, *, visitors: int = 20, turns: int = 5, assistant: Any = None,
             turn_timeout: float = 60.0, deadline: float = 300.0, catalog: str | None = None) -> dict:
    """Launch the page on 127.0.0.1 and run the load; returns the figures.

    Args:
        services: :class:`~tastebud.services.Services` (from the environment when omitted).
        visitors: Concurrent visitors (1–200).
        turns: Turns per visitor (1–50).
        assistant: The :class:`~tastebud.agent.Assistant` behind the page (built on
            ``services`` with the SQLite checkpointer when omitted).
        turn_timeout: Seconds one turn may take before it counts as an error.
        deadline: Seconds after which no visitor starts a new turn.
        catalog: Catalog name (default: the settings' catalog).

    Returns:
        ``{"visitors", "turns", "turns_done", "errors", "error_count", "leaks", "leak_count",
        "latency": {"p50_ms", "p95_ms", "mean_ms", "max_ms", "n"}, "seconds", "integrity"}``.
    """
    from tastebud.agent import Assistant
    from tastebud.services import Services
    from tastebud.ui.app import CSS, build_demo

    from .timing import percentiles

    visitors, turns = max(1, min(int(visitors), 200)), max(1, min(int(turns), 50))
    if assistant is None:
        services = services or Services()
        assistant = Assistant(services, catalog=catalog, checkpointer="sqlite")
    services = assistant.services
    run = uuid.uuid4().hex[:6]
    crowd = [_Visitor(i, f"load-{run}-{i}", did, label, LIKED[i % len(LIKED)])
             for i, (did, label) in enumerate(pick_dislikes(services, visitors, assistant.catalog))]
    for warm in ("I loved Toy Story", "something funny about toys"):  # load models before timing
        assistant.turn(warm, user_id=f"load-{run}-warmup", thread_id="w")
    port = _free_port()
    demo = build_demo(assistant)
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, css=CSS)
    start = time.perf_counter()
    stop_at = time.monotonic() + deadline
    try:
        with ThreadPoolExecutor(visitors) as pool:
            for future in [pool.submit(_converse, f"http://127.0.0.1:{port}/", v, turns, turn_timeout, stop_at)
                           for v in crowd]:
                future.result()  # each visitor is bounded by turns x turn_timeout
    finally:
        demo.close()
    seconds = time.perf_counter() - start
    profiles = assistant.services.profiles
    stored = {v.user_id: profiles.get(v.user_id).to_dict() for v in crowd}
    integrity = {v.user_id: problems for v in crowd if (problems := profiles.verify(v.user_id))}
    errors = [f"{v.user_id} {e}" for v in crowd for e in v.errors]
    leaks = _leaks(crowd, stored)
    samples = [ms for v in crowd for ms in v.latencies_ms]
    latency = {**percentiles(samples), "max_ms": max(samples)} if samples else {"n": 0}
    return {"visitors": visitors, "turns": turns, "turns_done": len(samples), "errors": errors,
            "error_count": len(errors), "leaks": leaks, "leak_count": len(leaks),
            "latency": {k: round(v, 1) if isinstance(v, float) else v for k, v in latency.items()},
            "seconds": round(seconds, 1), "integrity": integrity, "backend": assistant.backend}


def format_load(res: dict) -> str:
    """The figures as text lines."""
    lat = res["latency"]
    lines = [f"visitors x turns   {res['visitors']} x {res['turns']}  ({res['turns_done']} turns answered"
             f" in {res['seconds']} s, {res['backend']})",
             f"errors             {res['error_count']}",
             f"cross-user leaks   {res['leak_count']}",
             f"profile integrity  {'ok' if not res['integrity'] else res['integrity']}"]
    if lat.get("n"):
        lines.append(f"turn latency       p50 {lat['p50_ms']:.0f} ms  p95 {lat['p95_ms']:.0f} ms"
                     f"  max {lat['max_ms']:.0f} ms")
    lines += [f"  error: {e}" for e in res["errors"][:20]] + [f"  leak: {x}" for x in res["leaks"][:20]]
    return "\n".join(lines) + "\n"
