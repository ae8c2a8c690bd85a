"""Small bounded in-process caches, one set per application (``app.extensions``): two apps
in one process (tests, or an app and a CLI) never share entries.

What pages derive from a trainee's progress is keyed by the trainee's progress version
(:func:`lms.progression.versions.version_key`), so every server process agrees.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from flask import current_app

_MISSING = object()


class LRU:
    """A thread-safe least-recently-used mapping of at most *size* entries."""

    def __init__(self, size: int):
        self.size = size
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            value = self._data.get(key, _MISSING)
            if value is _MISSING:
                return default
            self._data.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


def app_cache(name: str, size: int = 2048) -> LRU:
    """The current application's cache called *name* (created on first use)."""
    caches = current_app.extensions.setdefault("lms_progress_caches", {})
    cache = caches.get(name)
    if cache is None:
        cache = caches.setdefault(name, LRU(size))
    return cache
