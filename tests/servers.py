"""Real servers for tests: PostgreSQL (Debian's package) and ``chroma run``, on 127.0.0.1.

Each runs in a fresh temporary directory on a free port and is stopped (and removed) by the
caller. PostgreSQL refuses to run as root: as root the server runs as the ``postgres`` system
user (``runuser``), which owns the data directory.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PostgresServer", "ServerUnavailable", "free_port", "pg_bin", "start_chroma", "start_postgres",
           "wait_http"]


class ServerUnavailable(RuntimeError):
    """The server cannot be started here (binaries missing); tests skip unless CI requires it."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_bin() -> Path:
    """Debian's PostgreSQL binaries (``/usr/lib/postgresql/<newest>/bin``)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise ServerUnavailable("PostgreSQL is not installed (apt-get install postgresql)")
    return Path(found[-1]).parent


@dataclass
class PostgresServer:
    """A running PostgreSQL server (superuser ``postgres``, trust authentication on 127.0.0.1)."""

    data: Path
    port: int
    prefix: list[str]

    def url(self, dbname: str = "postgres") -> str:
        """The libpq URL of one database."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        """Create an empty database; returns its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def create_schema(self, name: str) -> str:
        """Create an empty schema in the ``postgres`` database; returns a URL whose tables live in it
        (much faster than a database per test)."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        return f"{self.url()}?options=-c%20search_path%3D{name}"

    def stop(self) -> None:
        """Stop the server and delete its data directory."""
        subprocess.run([*self.prefix, str(pg_bin() / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                        "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.data.parent, ignore_errors=True)  # the data directory and the server log


def start_postgres() -> PostgresServer:
    """initdb a temporary cluster and start it on a free port of 127.0.0.1.

    Raises:
        ServerUnavailable: PostgreSQL is not installed.
    """
    bindir = pg_bin()
    data = Path(tempfile.mkdtemp(prefix="tastebud-pg-"))  # not under pytest's 0700 root-owned tmp
    prefix: list[str] = []
    if os.geteuid() == 0:  # the server refuses root: run it as the postgres system user
        shutil.chown(data, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    try:
        subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data / "db"), "-A", "trust", "-U", "postgres",
                        "--no-sync", "-E", "UTF8"], check=True, capture_output=True, timeout=120)
        options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data / "db"), "-o", options, "-l",
                        str(data / "server.log"), "-w", "-t", "60", "start"], check=True, capture_output=True,
                       timeout=90)
    except subprocess.CalledProcessError as exc:
        log = (data / "server.log").read_text() if (data / "server.log").exists() else ""
        shutil.rmtree(data, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr!r} {log[-2000:]}") from exc
    return PostgresServer(data / "db", port, prefix)


def wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    """Wait until ``url`` answers HTTP (any status), or fail after ``timeout`` seconds."""
    stop = time.monotonic() + timeout
    while time.monotonic() < stop:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{proc.args!r} exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def start_chroma(path: Path) -> tuple[subprocess.Popen, str]:
    """``chroma run --path PATH`` on a free port; returns the process and its URL (already answering).

    Raises:
        ServerUnavailable: The ``chroma`` command is missing.
    """
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    if not Path(chroma).exists():
        raise ServerUnavailable("the chroma command is missing (it ships with chromadb)")
    port = free_port()
    proc = subprocess.Popen([chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ,
                                                                                      "ANONYMIZED_TELEMETRY": "False"})
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{url}/api/v2/heartbeat", 60, proc)
    except BaseException:
        proc.kill()
        raise
    return proc, url
