"""Page replicas for real: a PostgreSQL server, a ``chroma run`` server and two ``tastebud ui``
processes against them (the team deployment of the README, on 127.0.0.1).

A profile change through one replica is seen by the other on the next turn, a conversation
moves between them, 20 visitors x 5 turns spread over both lose no turn and no profile change,
and killing a replica mid-turn loses nothing it acknowledged.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage
from servers import free_port, start_chroma, wait_http

from tastebud.agent.build import close_checkpointer, make_checkpointer, thread_key
from tastebud.evals.load import format_load, pick_dislikes, run_load
from tastebud.services import Services
from tastebud.settings import Settings

pytestmark = [pytest.mark.slow, pytest.mark.replicas, pytest.mark.timeout(1500)]


@dataclass
class Replicas:
    """The running deployment: page URLs, their processes and the shared settings."""

    urls: list[str]
    procs: list[subprocess.Popen]
    settings: Settings
    services: Services
    logs: list[Path]

    def human_turns(self, user_id: str, thread_id: str) -> list[str]:
        """The user's messages stored in the conversation (read from PostgreSQL)."""
        saver = make_checkpointer(self.settings, "postgres")
        try:
            state = saver.get_tuple({"configurable": {"thread_id": thread_key(user_id, thread_id)}})
        finally:
            close_checkpointer(saver)
        messages = state.checkpoint["channel_values"].get("messages", []) if state else []
        return [m.content for m in messages if isinstance(m, HumanMessage)]

    def chat(self, replica: int, message: str, user_id: str, thread_id: str) -> dict:
        """One turn through a replica's public ``chat`` API."""
        from gradio_client import Client

        return Client(self.urls[replica], verbose=False).predict(message, user_id, thread_id, api_name="/chat")


def _start_page(env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    tastebud = shutil.which("tastebud") or str(Path(sys.executable).parent / "tastebud")
    proc = subprocess.Popen([tastebud, "ui", "--host", "127.0.0.1", "--port", str(port)], env=env,
                            stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_http(url, 900, proc)
    except BaseException:
        proc.kill()
        raise RuntimeError(f"replica did not start: {log.read_text()[-3000:]}") from None
    return proc, url


@pytest.fixture(scope="module")
def deployment(postgres_server):
    """PostgreSQL + ``chroma run`` + two ``tastebud ui`` processes, as the README's team deployment."""
    work = Path(tempfile.mkdtemp(prefix="tastebud-replicas-"))
    database_url = postgres_server.create_database(f"r_{uuid.uuid4().hex[:10]}")
    chroma, chroma_url = start_chroma(work / "chroma")
    settings = Settings(home=work / "home", database_url=database_url, chroma_url=chroma_url, backend="offline",
                        search_engine="chroma")
    env = {**os.environ, "TASTEBUD_HOME": str(settings.home), "TASTEBUD_DATABASE_URL": database_url,
           "TASTEBUD_CHROMA_URL": chroma_url, "TASTEBUD_BROWSER_SECRET": uuid.uuid4().hex,
           "TASTEBUD_BACKEND": "offline", "TASTEBUD_SEARCH_ENGINE": "chroma"}  # search runs in the server
    procs, urls, logs = [], [], [work / "replica0.log", work / "replica1.log"]
    services = None
    try:
        # One after the other: the first ingests the catalog into Chroma and saves the model
        # artifacts in the shared home; the second finds both ready.
        for log in logs:
            proc, url = _start_page(env, log)
            procs.append(proc)
            urls.append(url)
        services = Services(settings)
        yield Replicas(urls, procs, settings, services, logs)
    finally:
        for proc in procs:
            proc.kill()
            proc.wait(timeout=30)
        chroma.kill()
        chroma.wait(timeout=30)
        if services is not None:
            services.profiles.close()
        shutil.rmtree(work, ignore_errors=True)


def test_a_change_through_one_replica_is_seen_by_the_other(deployment):
    user = f"alice-{uuid.uuid4().hex[:6]}"
    (hated, title), = pick_dislikes(deployment.services, 1)
    out = deployment.chat(0, f"I hated {title}.", user, "t")
    assert hated in {e["item_id"] for e in out["profile"]["disliked"]}
    out = deployment.chat(1, "I loved Toy Story. What should I watch?", user, "t")  # the other replica
    assert hated in {e["item_id"] for e in out["profile"]["disliked"]}  # seen on the next turn
    assert hated not in {r["item_id"] for r in out["recommendations"]}
    liked = {e["item_id"] for e in out["profile"]["liked"]}
    assert "ml:1" in liked
    events = deployment.services.profiles.events(user)
    assert [e.source for e in events] == ["turn:1", "turn:2"]  # replica 1 read replica 0's conversation
    out = deployment.chat(0, "what do you know about me?", user, "t")  # and back
    assert {e["item_id"] for e in out["profile"]["liked"]} == liked
    assert deployment.human_turns(user, "t") == [f"I hated {title}.", "I loved Toy Story. What should I watch?",
                                                 "what do you know about me?"]


def test_visitors_spread_over_both_replicas_lose_no_turn_and_no_change(deployment):
    res = run_load(deployment.services, visitors=20, turns=5, urls=deployment.urls, turn_timeout=180, deadline=900)
    print(format_load(res))
    assert res["errors"] == [] and res["leaks"] == [] and res["integrity"] == {}
    assert res["turns_done"] == 100
    visitors = [u for u in deployment.services.profiles.users() if u.startswith("load-")]
    assert len(visitors) == 20
    for user in visitors:
        assert len(deployment.human_turns(user, "load")) == 5  # every turn in the conversation, in order


def test_killing_a_replica_mid_turn_loses_nothing_acknowledged(deployment):
    films = pick_dislikes(deployment.services, 24)
    users = [f"kill-{uuid.uuid4().hex[:6]}-{n}" for n in range(4)]
    acked: dict[str, list[tuple[str, str]]] = {u: [] for u in users}
    enough = threading.Event()

    def visitor(n: int) -> None:
        for item_id, title in films[n * 6:(n + 1) * 6]:
            try:
                deployment.chat(1, f"I hated {title}.", users[n], "k")
            except Exception:  # the replica died under this turn: not acknowledged
                return
            acked[users[n]].append((item_id, f"I hated {title}."))
            if sum(map(len, acked.values())) >= 6:
                enough.set()

    workers = [threading.Thread(target=visitor, args=(n,)) for n in range(4)]
    for w in workers:
        w.start()
    assert enough.wait(600), "replica 1 acknowledged too few turns"
    deployment.procs[1].send_signal(signal.SIGKILL)  # other turns are in flight right now
    for w in workers:
        w.join(timeout=300)
    assert deployment.procs[1].wait(timeout=30) == -signal.SIGKILL
    assert 6 <= sum(map(len, acked.values())) < 24  # killed while turns were still coming
    profiles = deployment.services.profiles
    for user in users:
        stored = set(profiles.get(user).ids("disliked"))
        assert {i for i, _ in acked[user]} <= stored  # every acknowledged change is there
        said = deployment.human_turns(user, "k")
        assert said[:len(acked[user])] == [m for _, m in acked[user]]  # and every acknowledged turn
        assert profiles.verify(user) == []  # no half change from the turn that was cut
        out = deployment.chat(0, "what do you know about me?", user, "k")  # the survivor carries on
        assert {i for i, _ in acked[user]} <= {e["item_id"] for e in out["profile"]["disliked"]}
        assert deployment.human_turns(user, "k")[-1] == "what do you know about me?"
