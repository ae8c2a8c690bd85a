"""The report forms from ``reports/*.yaml``, re-read only when a file changes."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from lms.practice.formfile import ReportForm, load_report_forms

_cache: dict[str, tuple[tuple, dict[str, ReportForm]]] = {}


def report_forms() -> dict[str, ReportForm]:
    """Return {kind: form}; raise if the files have problems (``flask content check`` shows)."""
    root = Path(current_app.config["CONTENT_DIR"]).parent
    folder = root / "reports"
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.yaml")))
    cached = _cache.get(str(folder))
    if cached and cached[0] == stamp:
        return cached[1]
    forms, problems = load_report_forms(root)
    if problems:
        raise RuntimeError("invalid report forms: " + "; ".join(map(str, problems)))
    table = {form.kind: form for form in forms}
    _cache[str(folder)] = (stamp, table)
    return table
