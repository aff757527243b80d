"""Exposure: the page binds 127.0.0.1 unless told otherwise, ``--auth`` keeps strangers out,
INFO logs carry no API key and no message body, and Chroma server mode works from one setting."""

from __future__ import annotations

import inspect
import json
import logging
import shutil
import socket
import subprocess
import time
import urllib.request

import gradio as gr
import pytest
from gradio_client import Client

from tastebud.agent import Assistant
from tastebud.services import Services
from tastebud.settings import Settings
from tastebud.store import ItemStore
from tastebud.testing import HashingEmbedder
from tastebud.ui.app import CSS, build_demo, serve

SECRET_KEY = "sk-live-SECRET-abcdef0123456789"
BODY = "zebra-quokka-42 I loved Toy Story"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_default_host_is_loopback():
    from tastebud import cli

    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"
    assert inspect.signature(cli.ui).parameters["host"].default == "127.0.0.1"


@pytest.mark.slow
def test_serve_binds_what_host_says(real_services, monkeypatch):
    seen = []
    monkeypatch.setattr(gr.Blocks, "launch", lambda self, **kw: seen.append(kw))
    serve(real_services)
    serve(real_services, host="0.0.0.0", port=9999, auth=("team", "pw"))
    assert seen[0]["server_name"] == "127.0.0.1" and seen[0]["share"] is False and seen[0]["auth"] is None
    assert seen[1]["server_name"] == "0.0.0.0" and seen[1]["auth"] == ("team", "pw")


@pytest.mark.slow
def test_auth_refuses_unauthenticated_chat(real_services):
    assistant = Assistant(real_services, checkpointer="memory")
    port = _free_port()
    demo = build_demo(assistant)
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, css=CSS,
                auth=("team", "s3cret-pw"))
    url = f"http://127.0.0.1:{port}/"
    try:
        with pytest.raises(Exception):  # noqa: B017 - gradio_client raises on the login page
            Client(url, verbose=False).predict("I loved Heat", "intruder", "t", api_name="/chat")
        with pytest.raises(Exception):  # noqa: B017
            Client(url, verbose=False, auth=("team", "wrong")).predict("I loved Heat", "intruder", "t",
                                                                       api_name="/chat")
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(urllib.request.Request(url + "gradio_api/info"), timeout=30)
        assert err.value.code in (401, 403)
        out = Client(url, verbose=False, auth=("team", "s3cret-pw")).predict("I loved Heat", "member", "t",
                                                                            api_name="/chat")
        assert out["user_id"] == "member" and out["recommendations"]
    finally:
        demo.close()
    assert not real_services.profiles.exists("intruder")


@pytest.mark.slow
def test_info_logs_hold_no_key_and_no_message(real_services, caplog):
    from test_hardening_backend import FakeOpenAI

    with FakeOpenAI("healthy") as server, caplog.at_level(logging.INFO):
        settings = real_services.settings.model_copy(update={
            "backend": "openai-compatible", "base_url": server.url, "openai_api_key": SECRET_KEY,
            "llm_timeout": 5.0, "llm_retries": 0})
        llm = Assistant(Services(settings, embedder=real_services.embedder), checkpointer="memory")
        result = llm.turn(BODY, user_id="log-llm", thread_id="t")
        server.mode = "500"  # the failure path logs too
        failed = llm.turn(BODY, user_id="log-llm", thread_id="t")
        Assistant(real_services, checkpointer="memory").turn(BODY, user_id="log-offline", thread_id="t")
    assert result.recommendations and "fallback" in failed.backend
    text = "\n".join(f"{r.name} {r.getMessage()} {r.args}" for r in caplog.records)
    assert caplog.records  # something was logged, and none of it is secret
    assert SECRET_KEY not in text and "SECRET" not in text
    assert "zebra-quokka" not in text
    assert SECRET_KEY not in repr(settings) and SECRET_KEY not in json.dumps(result.to_dict())


# -- Chroma in server mode -----------------------------------------------------------------------
@pytest.fixture
def chroma_url(tmp_path):
    exe = shutil.which("chroma")
    if exe is None:
        pytest.skip("the chroma CLI (shipped with chromadb) is not on PATH")
    port = _free_port()
    proc = subprocess.Popen([exe, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(tmp_path / "srv")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            assert proc.poll() is None, "chroma server exited"
            assert time.monotonic() < deadline, "chroma server did not answer its heartbeat"
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def test_chroma_server_mode_from_one_setting(chroma_url, tmp_path, tiny_catalog, monkeypatch):
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(json.dumps({"id": it.item_id[2:], "title": it.title, "year": it.year,
                                          "genres": it.genres, "description": it.overview})
                              for it in tiny_catalog.items))
    monkeypatch.setenv("TASTEBUD_CHROMA_URL", chroma_url)
    monkeypatch.setenv("TASTEBUD_HOME", str(tmp_path / "home-a"))
    services = Services(Settings(), embedder=HashingEmbedder())
    assert services.settings.chroma_url == chroma_url
    assert type(services.client).__name__ != "PersistentClient" and not (tmp_path / "home-a" / "chroma").exists()
    result = services.ingest(str(path))
    assert result.added == len(tiny_catalog)
    hits = services.search("space alien", k=3, catalog="tiny")
    assert hits and all(h.item.item_id.startswith("u:") for h in hits)
    # a second machine (another home) sees the same collection through the server
    other = Services(Settings(home=tmp_path / "home-b", chroma_url=chroma_url), embedder=HashingEmbedder())
    assert ItemStore(other.client, "tiny", HashingEmbedder()).version() == services.catalog("tiny").version()
    assert services.ingest(str(path)).added == 0  # idempotent against the server too
