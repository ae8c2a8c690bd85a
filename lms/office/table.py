"""The trainee table's filters and rows, shared by its page and its export."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from lms.cohorts.models import Cohort
from lms.extensions import db
from lms.office import rules, services
from lms.timeutil import today_tokyo


def table_filters(args: Mapping[str, str]) -> dict[str, str]:
    """The trainee table's filters from a query string (the page and its export share them)."""
    return {
        "cohort": args.get("cohort", ""),
        "flag": args.get("flag", "") if args.get("flag", "") in rules.FLAGS else "",
        "q": args.get("q", "").strip(),
        "sort": args.get("sort", "name") if args.get("sort") in rules.SORT_KEYS else "name",
        "desc": "1" if args.get("desc") == "1" else "",
    }


def cohorts() -> list[Cohort]:
    return list(db.session.execute(
        select(Cohort).order_by(Cohort.training_start.desc())).unique().scalars())


def chosen_cohort(filters: dict[str, str], choices: list[Cohort]) -> Cohort | None:
    wanted = filters["cohort"]
    if wanted.isdigit():
        return next((c for c in choices if c.id == int(wanted)), None)
    return choices[0] if choices else None


def selected_rows(filters: dict[str, str]) -> tuple[Cohort | None, list[rules.TraineeRow],
                                                     list[rules.TraineeRow]]:
    """(cohort, every row of it, the rows the filters select, sorted)."""
    cohort = chosen_cohort(filters, cohorts())
    if cohort is None:
        return None, [], []
    every = services.cohort_rows(cohort, today_tokyo())
    chosen = rules.select_rows(every, filters["flag"], filters["q"], filters["sort"],
                               bool(filters["desc"]))
    return cohort, every, chosen
