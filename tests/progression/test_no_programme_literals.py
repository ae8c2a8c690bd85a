"""No quiz slug or stage name in Python outside the programme's registry entries (issue #12):
what a stage is, which test completes what, and how each kind of test behaves live in the
``*/programme.py`` entries and ``content/program.yml``; everything else asks the registry."""

import ast
import re
from pathlib import Path

LMS = Path(__file__).resolve().parents[2] / "lms"

#: the sample programme's stage names, test slugs and kinds
NAMES = {"comprehensive", "certification", "renewal", "course1", "course2", "practice",
         "application", "group", *(f"group-{g}" for g in "abcde")}
UNIT = re.compile(r"^(quiz|stage|lectures):\w")
STAGE_ACTIVITY = re.compile(r"^stages/\w")

#: where such a literal is not a programme fact, one reason each: (file, literal)
ALLOWED = {
    # URL prefixes and endpoint names of the blueprints, not stages
    ("practice/views.py", "practice"): "the practice blueprint's name",
    ("certification/blueprint.py", "certification"): "the certification blueprint's name",
    # stored values of the database schema
    ("certificates/models.py", "renewal"): "IssueKind.RENEWAL, a stored enum value",
    ("applications/models.py", "application"): "relationship back_populates attribute names",
    ("certificates/rulecommands.py", "renewal"): "the name of the `flask rules renewal` command",
    # the cohort calendar: Cohort.course1_start … course2_end columns and the labels of its
    # phases (dates the office sets), not the gating of the programme
    ("cohorts/rules.py", "course1"): "Cohort.course1_* date columns",
    ("cohorts/rules.py", "practice"): "Cohort.practice_* date columns",
    ("cohorts/rules.py", "course2"): "Cohort.course2_* date columns",
    ("templating.py", "course1"): "label of the calendar phase course1",
    ("templating.py", "practice"): "label of the calendar phase practice",
    ("templating.py", "course2"): "label of the calendar phase course2",
    ("office/rules.py", "course1"): "calendar phase key of the cohort table",
    ("office/rules.py", "practice"): "calendar phase key of the cohort table",
    ("office/rules.py", "course2"): "calendar phase key of the cohort table",
    # identifiers of learning records already stored (changing them orphans statements)
    ("content/viewing.py", "course1"): "the lecture publisher's activity id (Video Profile)",
    ("certification/declarations.py", "certification"): "the declarations' activity namespace",
    # the quiz file's key `group:` (a subject group letter), not a kind
    ("assessment/quizcheck.py", "group"): "the quiz file's 'group' key",
    ("assessment/quizfile.py", "group"): "the quiz file's 'group' key",
    ("content/loader.py", "group"): "the lecture module's 'group' key",
    ("lrs/rules/context.py", "group"): "xAPI's contextGroups 'group' (a Group actor)",
}


#: the same in templates: (template, literal)
ALLOWED_IN_TEMPLATES = {
    ("certificates/certificate.html", "renewal"): "IssueKind.RENEWAL, a stored enum value",
    ("certificates/person.html", "renewal"): "IssueKind.RENEWAL, a stored enum value",
}
QUOTED = re.compile(r"""["']([\w:/-]+)["']""")


def _entry(path: Path) -> bool:
    """A registry entry: a feature's programme.py that registers itself, or the registry."""
    if path == LMS / "progression" / "registry.py":
        return True
    return path.name == "programme.py" and "registry.register(" in path.read_text("utf-8")


def _literals(path: Path):
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and not any(c.isspace() for c in node.value):  # prose and docstrings aside
            yield node.lineno, node.value


def _forbidden(value: str) -> bool:
    return value in NAMES or bool(UNIT.match(value) or STAGE_ACTIVITY.match(value))


def test_no_quiz_slug_or_stage_name_outside_the_registry_entries():
    found = []
    for path in sorted(LMS.rglob("*.py")):
        if _entry(path):
            continue
        rel = path.relative_to(LMS).as_posix()
        found += [f"lms/{rel}:{line}: {value!r}" for line, value in _literals(path)
                  if _forbidden(value) and (rel, value) not in ALLOWED]
    assert found == [], "programme facts belong in */programme.py or content/program.yml"


def test_the_allow_list_holds_nothing_stale():
    used = {(path.relative_to(LMS).as_posix(), value) for path in LMS.rglob("*.py")
            for _line, value in _literals(path)}
    assert sorted(set(ALLOWED) - used) == []


def test_no_quiz_slug_or_stage_name_in_templates():
    found, used = [], set()
    for path in sorted(LMS.rglob("*.html")):
        rel = path.relative_to(next(p for p in path.parents if p.name == "templates"))
        for line, text in enumerate(path.read_text("utf-8").splitlines(), 1):
            for value in QUOTED.findall(text):
                if _forbidden(value):
                    used.add((rel.as_posix(), value))
                    if (rel.as_posix(), value) not in ALLOWED_IN_TEMPLATES:
                        found.append(f"{path.relative_to(LMS)}:{line}: {value!r}")
    assert found == []
    assert sorted(set(ALLOWED_IN_TEMPLATES) - used) == []
