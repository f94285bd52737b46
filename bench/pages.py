"""Time the member space's main pages in-process against a generated database.

For each page (home stream, a need with 20 responses, a resource with lineage, a popular tag, a
member's profile) this runs a warm-up, then N requests through Django's test Client signed in as
members sampled from the database (rotating), and reports server time p50 / p95 / max in
milliseconds, the serving thread's CPU time, and SQL queries per request, as a table and as one
JSON line at the end.

    DATABASE_URL=… python -m bench.pages [--requests 200] [--warmup 20] [--viewers 20]

Settings are production's (DEBUG off); see bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from dataclasses import asdict, dataclass
from typing import Any

GOAL_P95_MS = 50.0


@dataclass
class PageResult:
    name: str
    path: str
    about: str
    requests: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    cpu_p50_ms: float
    cpu_p95_ms: float
    queries_min: int
    queries_max: int
    kilobytes: float


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def signed_in_clients(viewers: list[Any]) -> list[Any]:
    """One test Client per viewer, signed in, asking for compressed pages as browsers do."""
    from django.test import Client

    clients = []
    for viewer in viewers:
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        client.force_login(viewer)
        clients.append(client)
    return clients


def fetch(client: Any, path: str) -> Any:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}, not 200.")
    return response


def count_queries(clients: list[Any], path: str) -> list[int]:
    """Queries per request, one request per viewer (counted apart from the timed requests:
    capturing makes SQLite run an extra query per statement to quote its parameters)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for client in clients:
        with CaptureQueriesContext(connection) as captured:
            fetch(client, path)
        counts.append(len(captured.captured_queries))
    return counts


def clear_render_caches() -> None:
    """Forget rendered Markdown, as for a page no one has opened lately in this process."""
    from kindling.core import markdown

    markdown.render_markdown.cache_clear()
    markdown.render_plain_excerpt.cache_clear()


def time_page(
    page: Any, clients: list[Any], *, requests: int, warmup: int, cold: bool = False
) -> PageResult:
    for i in range(warmup):
        fetch(clients[i % len(clients)], page.path)
    queries = count_queries(clients, page.path)
    timings: list[float] = []
    cpu: list[float] = []
    size = 0
    for i in range(requests):
        client = clients[i % len(clients)]
        if cold:
            clear_render_caches()
        cpu_began = time.thread_time()
        began = time.perf_counter()
        response = fetch(client, page.path)
        timings.append((time.perf_counter() - began) * 1000)
        cpu.append((time.thread_time() - cpu_began) * 1000)
        size = len(response.content)
    timings.sort()
    cpu.sort()
    return PageResult(
        name=page.name,
        path=page.path,
        about=page.about,
        requests=requests,
        p50_ms=round(percentile(timings, 0.50), 2),
        p95_ms=round(percentile(timings, 0.95), 2),
        max_ms=round(timings[-1], 2) if timings else math.nan,
        cpu_p50_ms=round(percentile(cpu, 0.50), 2),
        cpu_p95_ms=round(percentile(cpu, 0.95), 2),
        queries_min=min(queries),
        queries_max=max(queries),
        kilobytes=round(size / 1024, 1),
    )


def prepare_static_files() -> None:
    """Production settings serve hashed static names, which need collectstatic's manifest."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per page first")
    parser.add_argument("--viewers", type=int, default=20, help="members to sign in as")
    parser.add_argument("--pages", default="", help="comma-separated page names (default: all)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cold",
        action="store_true",
        help="clear the per-process Markdown cache before each request (pages not seen lately)",
    )
    options = parser.parse_args(argv)

    from bench.environment import start

    if not start():
        return 2
    from bench.targets import NotGenerated, Page, choose_pages, choose_viewers, describe_database

    prepare_static_files()
    try:
        viewers = choose_viewers(options.viewers, options.seed)
        pages = choose_pages()
    except NotGenerated as missing:
        print(f"Cannot benchmark: {missing}", file=sys.stderr)
        return 2
    if options.pages:
        wanted = {name.strip() for name in options.pages.split(",")}
        pages = [page for page in pages if page.name in wanted]
    # The floor: what any request costs here before a page does anything of its own.
    pages.insert(0, Page("healthz", "/healthz", "minimal Django view, one SELECT 1 (the floor)"))
    label, scale = describe_database()
    print(
        f"{options.requests} timed requests per page after {options.warmup} warm-up, "
        f"as {len(viewers)} members in turn; goal p95 ≤ {GOAL_P95_MS:g} ms"
        + ("; Markdown cache cleared before each request.\n" if options.cold else ".\n"),
        flush=True,
    )
    clients = signed_in_clients(viewers)
    # As config/wsgi.py does once the application is loaded (each test client loads its
    # middleware, WhiteNoise's table of static files among it, on its first request).
    from kindling.core.startup import freeze_loaded_objects

    for client in clients:
        fetch(client, "/healthz")
    freeze_loaded_objects()
    load_before = os.getloadavg()[0]
    header = f"{'page':<12} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'cpu p50':>7} {'cpu p95':>7}"
    print(f"{header} {'queries':>7} {'KB':>5}  what", flush=True)
    results = []
    for page in pages:
        r = time_page(
            page, clients, requests=options.requests, warmup=options.warmup, cold=options.cold
        )
        results.append(r)
        queries = (
            str(r.queries_min)
            if r.queries_min == r.queries_max
            else f"{r.queries_min}-{r.queries_max}"
        )
        flag = "" if r.p95_ms <= GOAL_P95_MS else "  ← misses the p95 goal"
        print(
            f"{r.name:<12} {r.p50_ms:>7.1f} {r.p95_ms:>7.1f} {r.max_ms:>7.1f} {r.cpu_p50_ms:>7.1f} "
            f"{r.cpu_p95_ms:>7.1f} {queries:>7} {r.kilobytes:>5.1f}  {r.about} ({r.path}){flag}",
            flush=True,
        )
    load_after = os.getloadavg()[0]
    print(
        f"\nLoad average (1 min) {load_before:.1f} before, {load_after:.1f} after, on "
        f"{os.cpu_count()} cores: above the core count, other work was competing for the CPU and "
        "wall times are inflated; the cpu columns (this thread's CPU time, which includes "
        "SQLite's work but not PostgreSQL's) are less affected."
    )
    print(
        json.dumps(
            {
                "database": label,
                "load_average": [round(load_before, 2), round(load_after, 2)],
                "markdown_cache": "cleared before each request" if options.cold else "warm",
                "scale": scale,
                "goal_p95_ms": GOAL_P95_MS,
                "pages": [asdict(r) for r in results],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
