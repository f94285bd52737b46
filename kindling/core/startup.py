"""What a server process does once its application is loaded, before it serves requests.

Python's cyclic garbage collector now and then examines every container object the process
holds (a "generation 2" collection). A loaded Kindling process holds a few hundred thousand:
Django's models, URL patterns and compiled templates, WhiteNoise's table of static files, the
ISO 639 language table. Examining them took 40 to 100 ms on a small server, so a request that
happened to trigger such a collection was that much slower (a page's p95 could hang on it), and
none of those objects ever becomes garbage.

``freeze_loaded_objects()`` loads what every process loads sooner or later, collects once, then
moves everything into the collector's permanent generation (``gc.freeze()``), which it no longer
examines; later collections look only at objects made afterwards. ``config/wsgi.py`` and
``config/asgi.py`` call it after building the application; the page benchmark calls it too.
"""

from __future__ import annotations

import gc

__all__ = ["freeze_loaded_objects"]


def load_lazy_tables() -> None:
    """Import every view (through the URLconf) and build the tables pages fill on first use."""
    from django.urls import get_resolver

    from kindling.accounts.languages import common_language_choices

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view it names
    common_language_choices()


def freeze_loaded_objects() -> int:
    """Load the application's lazy parts, collect garbage once, and keep every object alive now
    out of later collections. Returns how many objects were frozen."""
    load_lazy_tables()
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
