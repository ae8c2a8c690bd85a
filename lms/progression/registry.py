"""The programme registry: which feature satisfies which units of ``content/program.yml``.

Each stage package (lectures, quizzes, practice, course ②, renewal, …) registers one
:class:`Stage` naming the units it answers for and a batch function that says, for many
trainees at once (one query per feature, not per trainee), which of those units each has
satisfied. :mod:`lms.progression` reads only this registry and the programme file, so it
imports no feature; adding a stage is one package that registers itself plus lines in
``program.yml``. No Flask and no database here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Proof:
    """A statement that shows a unit to the certification committee (readiness, §5): the
    object relative to ``<base>/xapi/activities/``, the verb that counts and, if given, the
    verbs of which the latest decides; *committee*: only the committee's decision counts."""

    key: str
    activity: str
    verb: str
    decisive: tuple[str, ...] = ()
    committee: bool = False


@dataclass(frozen=True)
class QuizKind:
    """A kind of test (``kind:`` in ``quizzes/*.yaml``) and what the programme makes of it."""

    name: str
    #: its English name in learning records; ``{group}`` stands for its subject group
    english: str
    #: each such test names the subject group whose small test it is (§5(2)ア注7)
    subject_group: bool = False
    #: on the trainee's list of tests (the others open from their own stage's pages)
    listed: bool = False
    #: the committee, not the pass mark, decides the pass (§6(2)ア 合否)
    committee: bool = False
    #: the committee approves each item before it is drawn, so every item names its author
    reviewed: bool = False
    #: sat only in the test window of the trainee's booked course ② session
    in_session: bool = False
    #: the stage its statements belong to: (activity id under ``stages/``, Japanese, English)
    stage: tuple[str, str, str] | None = None
    #: passing it completes that stage (a "completed" statement about the stage)
    completes_stage: bool = False
    #: what passing it also does, ``(attempt) -> None`` flushing only (e.g. a new certificate)
    on_pass: Callable | None = None


@dataclass(frozen=True)
class Stage:
    """One feature's part in the programme."""

    #: the feature's name (registering the same name again replaces the entry)
    name: str
    #: the units it answers for: exact units (``stage:practice``) or kinds (``quiz:*``)
    units: tuple[str, ...]
    #: ``(users) -> {user id: satisfied units}`` for a batch of trainees
    satisfied: Callable[[Sequence], Mapping[int, set[str]]]
    #: ``(unit) -> title`` in the trainee's language, or None when it does not know the unit
    title: Callable[[str], str | None] | None = None
    #: units the administrator's funnel counts (each a point trainees reach), in order
    milestones: tuple[str, ...] = ()
    #: ``(unit) -> label`` of a milestone on the funnel, or None for the default wording
    milestone_label: Callable[[str], str | None] | None = None
    #: ``(unit) -> sentence`` saying how to unlock what requires *unit*, or None for the default
    hint: Callable[[str], str | None] | None = None
    #: units shown on a trainee's path only once open or done (e.g. renewal, for holders)
    hidden_until_open: tuple[str, ...] = field(default=())
    #: the trainee page (an endpoint) behind this stage's gate: the menu shows it locked
    page: str | None = None
    #: ``(unit) -> proofs``: the statements that show *unit* for certification readiness
    proofs: Callable[[str], tuple[Proof, ...]] | None = None
    #: the kinds of test this feature defines (their slugs and properties live here, not in
    #: the assessment package)
    quiz_kinds: tuple[QuizKind, ...] = ()


_STAGES: dict[str, Stage] = {}


def register(stage: Stage) -> Stage:
    """Add (or replace) a feature's entry; idempotent, so app factories may call it again."""
    _STAGES[stage.name] = stage
    return stage


def unregister(name: str) -> None:
    _STAGES.pop(name, None)


def stages() -> list[Stage]:
    return list(_STAGES.values())


def answers(stage: Stage, unit: str) -> bool:
    """Whether *stage* answers for *unit* (an exact unit or its kind ``kind:*``)."""
    kind = unit.partition(":")[0]
    return unit in stage.units or f"{kind}:*" in stage.units


def known(unit: str) -> bool:
    return any(answers(s, unit) for s in _STAGES.values())


def satisfied_for(users: Sequence) -> dict[int, set[str]]:
    """Every registered feature's answer for *users*, merged: {user id: satisfied units}."""
    done: dict[int, set[str]] = {u.id: set() for u in users}
    if not users:
        return done
    for stage in _STAGES.values():
        for user_id, units in stage.satisfied(users).items():
            if user_id in done:
                done[user_id] |= {u for u in units if answers(stage, u)}
    return done


def title(unit: str) -> str | None:
    for stage in _STAGES.values():
        if stage.title is not None and answers(stage, unit):
            found = stage.title(unit)
            if found is not None:
                return found
    return None


def hint(unit: str) -> str | None:
    for stage in _STAGES.values():
        if stage.hint is not None and answers(stage, unit):
            found = stage.hint(unit)
            if found is not None:
                return found
    return None


def proofs(unit: str) -> tuple[Proof, ...]:
    """The statements that show *unit*: an entry naming the unit itself wins over its kind."""
    ordered = sorted(_STAGES.values(), key=lambda s: unit not in s.units)
    for stage in ordered:
        if stage.proofs is not None and answers(stage, unit):
            found = stage.proofs(unit)
            if found:
                return found
    return ()


def gated_pages() -> dict[str, str]:
    """{endpoint: unit}: the trainee pages each registered stage opens."""
    return {s.page: unit for s in _STAGES.values() if s.page for unit in s.units[:1]}


def milestone_label(unit: str) -> str | None:
    for stage in _STAGES.values():
        if stage.milestone_label is not None and unit in stage.milestones:
            found = stage.milestone_label(unit)
            if found is not None:
                return found
    return None


def milestones() -> set[str]:
    return {m for s in _STAGES.values() for m in s.milestones}


def hidden_until_open() -> set[str]:
    return {u for s in _STAGES.values() for u in s.hidden_until_open}


def quiz_kinds() -> dict[str, QuizKind]:
    """Every registered kind of test, by name."""
    return {k.name: k for s in _STAGES.values() for k in s.quiz_kinds}


def quiz_kind(name: str) -> QuizKind | None:
    return quiz_kinds().get(name)


def kinds_where(predicate: Callable[[QuizKind], bool]) -> tuple[str, ...]:
    """The names of the registered kinds of test for which *predicate* holds."""
    return tuple(name for name, kind in quiz_kinds().items() if predicate(kind))


def stage_units() -> set[str]:
    """The exact ``stage:…`` units the registered features answer for."""
    return {u for s in _STAGES.values() for u in s.units
            if u.startswith("stage:") and not u.endswith(":*")}
