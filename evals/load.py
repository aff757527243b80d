"""Load test of the chat page: concurrent visitors through the public ``/chat`` API.

``run_load`` launches the page on 127.0.0.1 (a free port), lets ``visitors`` clients hold
``turns``-turn conversations at the same time through the page's plain HTTP API (Gradio's
curl protocol, one asyncio ``httpx`` client for all of them), and reports errors,
cross-user leaks and turn latency; ``run_load(urls=[...])`` drives pages already running (e.g.
replicas behind one database), turn ``n`` of visitor ``i`` going to ``urls[(i + n) % len(urls)]``,
so every conversation moves between replicas. Each visitor first states a distinct dislike (an obscure
catalog film); that film must never appear in another visitor's profile, recommendations or
replies. Everything is bounded: each turn by ``turn_timeout`` seconds, the run by
``deadline`` seconds (visitors stop starting new turns after it). The visitors run in a child
process, as real visitors would: their HTTP clients do not take CPU from the page being measured.
The client is light on purpose (``gradio_client`` cost about as much CPU per turn as the page's
turn, capping the figure near 12 turns/s on 2 cores); ``tests/test_ui.py`` keeps exercising
``/chat`` through ``gradio_client``, the documented client.
"""

from __future__ import annotations

import multiprocessing
import socket
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
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


async def _call_chat(http: Any, url: str, message: str, user_id: str) -> Any:
    """One ``/chat`` call over Gradio's plain HTTP API: POST the inputs, read the SSE result.

    Gradio's documented curl protocol (``POST /gradio_api/call/chat`` → ``event_id``, then
    ``GET /gradio_api/call/chat/{event_id}`` until ``event: complete``); a light client, so
    the visitors' own CPU does not bound what the bench can measure of the page.
    """
    import json

    posted = await http.post(f"{url}gradio_api/call/chat", json={"data": [message, user_id, "load"]})
    posted.raise_for_status()
    event_id = posted.json()["event_id"]
    event = ""
    async with http.stream("GET", f"{url}gradio_api/call/chat/{event_id}") as stream:
        stream.raise_for_status()
        async for line in stream.aiter_lines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event in ("complete", "error"):
                data = json.loads(line[5:].strip() or "null")
                if event == "error":
                    raise RuntimeError(f"app error: {data}")
                return data[0] if isinstance(data, list) and data else data
    raise RuntimeError(f"stream ended without a result (last event {event!r})")


async def _converse(http: Any, urls: list[str], visitor: _Visitor, turns: int, turn_timeout: float, stop_at: float) -> None:
    import asyncio

    for n, message in enumerate(visitor.messages(turns), 1):
        if time.monotonic() > stop_at:
            visitor.errors.append(f"turn {n}: not started, the run's deadline passed")
            return
        url = urls[(visitor.index + n) % len(urls)]
        start = time.perf_counter()
        try:
            out = await asyncio.wait_for(_call_chat(http, url, message, visitor.user_id), turn_timeout)
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


async def _acrowd(urls: list[str], crowd: list[_Visitor], turns: int, turn_timeout: float, stop_at: float) -> None:
    import asyncio

    import httpx

    limits = httpx.Limits(max_connections=2 * len(crowd), max_keepalive_connections=2 * len(crowd))
    async with httpx.AsyncClient(timeout=turn_timeout, limits=limits) as http:
        await asyncio.gather(*(_converse(http, urls, v, turns, turn_timeout, stop_at) for v in crowd))


def _crowd(urls: list[str], crowd: list[_Visitor], turns: int, turn_timeout: float,
           stop_at: float) -> tuple[list[_Visitor], float]:
    """All visitors' conversations at once (run in the child process, one asyncio loop).

    Returns:
        The visitors with their results, and the CPU seconds the visitors' process spent.
    """
    import asyncio

    cpu = time.process_time()
    asyncio.run(_acrowd(urls, crowd, turns, turn_timeout, stop_at))  # each visitor is bounded
    return crowd, time.process_time() - cpu


def _ready() -> bool:
    import httpx  # noqa: F401 - imported before the clock starts

    return True


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
             turn_timeout: float = 60.0, deadline: float = 300.0, catalog: str | None = None,
             urls: list[str] | None = None) -> dict:
    """Launch the page on 127.0.0.1 (or use running ones, ``urls``) and run the load; returns the figures.

    Args:
        services: :class:`~tastebud.services.Services` (from the environment when omitted).
        visitors: Concurrent visitors (1–200).
        turns: Turns per visitor (1–50).
        assistant: The :class:`~tastebud.agent.Assistant` behind the page (built on
            ``services`` with the persistent checkpointer when omitted; unused with ``urls``).
        turn_timeout: Seconds one turn may take before it counts as an error.
        deadline: Seconds after which no visitor starts a new turn.
        catalog: Catalog name (default: the settings' catalog).
        urls: Pages already running (replicas sharing ``services``' profile database): nothing is
            launched, and the visitors' turns alternate between them.

    Returns:
        ``{"visitors", "turns", "turns_done", "errors", "error_count", "leaks", "leak_count",
        "latency": {"p50_ms", "p95_ms", "mean_ms", "max_ms", "n"}, "seconds", "turns_per_s",
        "server_cpu_ms_per_turn", "integrity", "backend"}``. ``server_cpu_ms_per_turn`` is the CPU
        time of the page's process per answered turn: what the throughput costs, however loaded
        the machine (``None`` with ``urls``: the pages are other processes).
    """
    from tastebud.services import Services

    visitors, turns = max(1, min(int(visitors), 200)), max(1, min(int(turns), 50))
    demo = None
    if urls:
        services = services or Services()
        backend, name = f"{len(urls)} running page(s)", catalog
    else:
        from tastebud.agent import Assistant

        if assistant is None:
            services = services or Services()
            assistant = Assistant(services, catalog=catalog)
        services, backend, name = assistant.services, assistant.backend, assistant.catalog
        for warm in ("I loved Toy Story", "something funny about toys"):  # load models before timing
            assistant.turn(warm, user_id=f"load-{uuid.uuid4().hex[:6]}-warmup", thread_id="w")
    run = uuid.uuid4().hex[:6]
    crowd = [_Visitor(i, f"load-{run}-{i}", did, label, LIKED[i % len(LIKED)])
             for i, (did, label) in enumerate(pick_dislikes(services, visitors, name))]
    if not urls:
        from tastebud.ui.app import CSS, build_demo

        port = _free_port()
        demo = build_demo(assistant)
        demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, css=CSS)
        urls = [f"http://127.0.0.1:{port}/"]
    try:  # "spawn": a fork of this process (server threads, torch) would not be safe
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as visitors_process:
            visitors_process.submit(_ready).result()
            start, cpu = time.perf_counter(), time.process_time()
            stop_at = time.monotonic() + deadline  # CLOCK_MONOTONIC: the same clock in the child
            crowd, client_cpu = visitors_process.submit(_crowd, urls, crowd, turns, turn_timeout, stop_at).result()
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        if demo is not None:
            from tastebud.ui.review import close_page

            close_page(demo)
    profiles = assistant.profiles if demo is not None else services.profile_store(name)  # the catalog's
    res = _figures(crowd, profiles, visitors, turns, seconds, cpu if demo is not None else None, backend)
    samples = res["turns_done"]
    return {**res, "client_cpu_ms_per_turn": round(client_cpu * 1000 / samples, 1) if samples else 0.0}


def _figures(crowd: list[_Visitor], profiles: Any, visitors: int, turns: int, seconds: float,
             cpu: float | None, backend: str) -> dict:
    """The run's figures, with every visitor's stored profile read back and verified."""
    from .timing import percentiles

    stored = {v.user_id: profiles.get(v.user_id).to_dict() for v in crowd}
    integrity = {v.user_id: problems for v in crowd if (problems := profiles.verify(v.user_id))}
    errors = [f"{v.user_id} {e}" for v in crowd for e in v.errors]
    for v in crowd:  # every change an answer acknowledged is stored (the last answer shows them all)
        lost = _profile_ids(v.results[-1].get("profile") or {}) - _profile_ids(stored[v.user_id]) if v.results else set()
        errors += [f"{v.user_id}: acknowledged item {i} missing from the stored profile" for i in sorted(lost)]
    leaks = _leaks(crowd, stored)
    samples = [ms for v in crowd for ms in v.latencies_ms]
    latency = {**percentiles(samples), "max_ms": max(samples)} if samples else {"n": 0}
    cpu_per_turn = None if cpu is None else round(cpu * 1000 / len(samples), 1) if samples else 0.0
    return {"visitors": visitors, "turns": turns, "turns_done": len(samples), "errors": errors,
            "error_count": len(errors), "leaks": leaks, "leak_count": len(leaks),
            "latency": {k: round(v, 1) if isinstance(v, float) else v for k, v in latency.items()},
            "seconds": round(seconds, 1), "turns_per_s": round(len(samples) / seconds, 1) if seconds else 0.0,
            "server_cpu_ms_per_turn": cpu_per_turn, "integrity": integrity, "backend": backend}


def format_load(res: dict) -> str:
    """The figures as text lines."""
    lat = res["latency"]
    lines = [f"visitors x turns   {res['visitors']} x {res['turns']}  ({res['turns_done']} turns answered"
             f" in {res['seconds']} s, {res['backend']})",
             f"throughput         {res.get('turns_per_s', 0)} turns/s; page CPU "
             f"{res.get('server_cpu_ms_per_turn') or 'n/a'} ms a turn, visitors' CPU "
             f"{res.get('client_cpu_ms_per_turn', 0)} ms a turn",
             f"errors             {res['error_count']}",
             f"cross-user leaks   {res['leak_count']}",
             f"profile integrity  {'ok' if not res['integrity'] else res['integrity']}"]
    if lat.get("n"):
        lines.append(f"turn latency       p50 {lat['p50_ms']:.0f} ms  p95 {lat['p95_ms']:.0f} ms"
                     f"  max {lat['max_ms']:.0f} ms")
    lines += [f"  error: {e}" for e in res["errors"][:20]] + [f"  leak: {x}" for x in res["leaks"][:20]]
    return "\n".join(lines) + "\n"
