"""Serve a generated database with gunicorn and drive its main pages at fixed concurrency.

Starts gunicorn with production settings (DEBUG off, a random SECRET_KEY, SECURE_HTTPS=false,
ALLOWED_HOSTS=127.0.0.1) on a free port of 127.0.0.1 with 2 workers, signs members in by
creating real session rows, then, from this process, keeps C keep-alive HTTP connections busy for
D seconds per page (threads + http.client). Reports requests per second and p50 / p99 latency per
page, and the same for /healthz (one SELECT 1) as the ceiling a Django page can reach here.

    DATABASE_URL=… python -m bench.load [--concurrency 8] [--duration 20] [--workers 2]

Traffic goes only to 127.0.0.1, and every loop stops at its deadline.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from typing import Any

from bench.environment import PROJECT_ROOT

HOST = "127.0.0.1"


@dataclass
class LoadResult:
    name: str
    path: str
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p99_ms: float
    ratio_to_ceiling: float
    queries: int


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def start_server(port: int, workers: int, worker_class: str) -> subprocess.Popen[bytes]:
    """gunicorn as the README's production command runs it, on loopback only."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--log-level",
        "warning",
    ]
    environment = {**os.environ, "ALLOWED_HOSTS": HOST}
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=environment)  # noqa: S603


def wait_until_ready(port: int, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}.")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz in time.")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)


def create_sessions(viewers: list[Any]) -> list[str]:
    """Real session rows (the server is another process), as signing in would create."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    keys = []
    for viewer in viewers:
        session = store_class()
        session[SESSION_KEY] = str(viewer.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = viewer.get_session_auth_hash()
        session.create()
        keys.append(str(session.session_key))
    return keys


def delete_sessions(keys: list[str]) -> None:
    from importlib import import_module

    from django.conf import settings

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store_class(session_key=key).delete()


def drive(
    port: int, path: str, cookies: list[str], *, concurrency: int, duration: float
) -> tuple[list[float], int]:
    """Keep ``concurrency`` connections busy on ``path`` until the deadline; return latencies."""
    from django.conf import settings

    deadline = time.monotonic() + duration
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency

    def worker(slot: int) -> None:
        headers = {
            "Host": HOST,
            "Accept-Encoding": "gzip",
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={cookies[slot % len(cookies)]}",
        }
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        mine = latencies[slot]
        while time.monotonic() < deadline:
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors[slot] += 1
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                continue
            if response.status != 200:
                errors[slot] += 1
            else:
                mine.append((time.perf_counter() - began) * 1000)
            if response.will_close:  # gunicorn's sync workers close after each response
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
        connection.close()

    threads = [threading.Thread(target=worker, args=(slot,)) for slot in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 60)
    return [value for slot in latencies for value in slot], sum(errors)


def queries_per_request(path: str, viewer: Any) -> int:
    """The page's SQL queries, counted once in this process with the test Client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    if viewer is not None:
        client.force_login(viewer)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured.captured_queries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=8, help="connections kept busy")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument(
        "--worker-class", default="sync", help="gunicorn worker class (the README uses sync)"
    )
    parser.add_argument("--viewers", type=int, default=20, help="members to sign in as")
    parser.add_argument("--pages", default="", help="comma-separated page names (default: all)")
    options = parser.parse_args(argv)
    if not (1 <= options.concurrency <= 64 and 1 <= options.duration <= 120):
        parser.error("Keep --concurrency within 1–64 and --duration within 1–120 seconds.")

    from bench.environment import database_label, start

    if not start():
        return 2
    from bench.pages import percentile, prepare_static_files
    from bench.targets import NotGenerated, Page, choose_pages, choose_viewers

    prepare_static_files()
    try:
        viewers = choose_viewers(options.viewers)
        pages = choose_pages()
    except NotGenerated as missing:
        print(f"Cannot benchmark: {missing}", file=sys.stderr)
        return 2
    if options.pages:
        wanted = {name.strip() for name in options.pages.split(",")}
        pages = [page for page in pages if page.name in wanted]
    pages = [Page("healthz", "/healthz", "one SELECT 1: the ceiling"), *pages]
    queries = {
        page.name: queries_per_request(page.path, None if page.name == "healthz" else viewers[0])
        for page in pages
    }
    # Nothing of this process's own database connection should be held while the server runs.
    from django.db import connections

    cookies = create_sessions(viewers)
    connections.close_all()
    port = free_port()
    label = database_label()
    print(f"Database: {label}")
    print(
        f"gunicorn on {HOST}:{port}, {options.workers} {options.worker_class} workers; "
        f"{options.concurrency} connections for {options.duration:g} s per page, "
        f"as {len(viewers)} members.\n"
    )
    server = start_server(port, options.workers, options.worker_class)
    results: list[LoadResult] = []
    load_before = os.getloadavg()[0]
    try:
        wait_until_ready(port, server)
        ceiling = 0.0
        for page in pages:
            drive(port, page.path, cookies, concurrency=options.concurrency, duration=2)  # warm
            began = time.monotonic()
            latencies, errors = drive(
                port,
                page.path,
                cookies,
                concurrency=options.concurrency,
                duration=options.duration,
            )
            elapsed = time.monotonic() - began
            latencies.sort()
            rps = len(latencies) / elapsed
            if page.name == "healthz":
                ceiling = rps
            results.append(
                LoadResult(
                    name=page.name,
                    path=page.path,
                    requests=len(latencies),
                    errors=errors,
                    rps=round(rps, 1),
                    p50_ms=round(percentile(latencies, 0.50), 1),
                    p99_ms=round(percentile(latencies, 0.99), 1),
                    ratio_to_ceiling=round(rps / ceiling, 3) if ceiling else 0.0,
                    queries=queries[page.name],
                )
            )
            r = results[-1]
            print(
                f"{r.name:<12} {r.rps:>8.1f} req/s  p50 {r.p50_ms:>7.1f} ms  "
                f"p99 {r.p99_ms:>7.1f} ms  {r.queries:>3} queries  "
                f"{r.ratio_to_ceiling:>6.1%} of ceiling  errors {r.errors}",
                flush=True,
            )
    finally:
        stop_server(server)
        delete_sessions(cookies)
    load_after = os.getloadavg()[0]
    print(
        f"\nLoad average (1 min) {load_before:.1f} before, {load_after:.1f} after, on "
        f"{os.cpu_count()} cores (the server and this client share them)."
    )
    print(
        json.dumps(
            {
                "database": label,
                "workers": options.workers,
                "worker_class": options.worker_class,
                "concurrency": options.concurrency,
                "duration_s": options.duration,
                "load_average": [round(load_before, 2), round(load_after, 2)],
                "pages": [asdict(r) for r in results],
            }
        )
    )
    return 0 if all(r.errors == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
