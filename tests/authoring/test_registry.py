"""A feature adds its kind of authored file by registering it: ``flask content check``, the
status page and publishing run it, and its units are known to the programme file."""

from pathlib import Path

import pytest

from lms import authoring
from lms.authoring.publish import check_all
from tests.conftest import authoring_copy


def _glossary(root: Path) -> authoring.Checked:
    """A toy kind: ``glossary.txt`` beside the content folder, one term a line."""
    path = root.parent / "glossary.txt"
    terms, problems = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            terms.append(line.strip())
        else:
            problems.append(authoring.Problem("glossary.txt", number, "empty line"))
    return authoring.Checked(terms, problems, frozenset(f"glossary:{t}" for t in terms))


@pytest.fixture
def glossary(app, tmp_path):
    root = authoring_copy(tmp_path)
    app.config["CONTENT_DIR"] = str(root)
    authoring.register(authoring.FileKind("glossary terms", _glossary, order=40,
                                          unit_kinds=("glossary",)))
    yield root
    authoring.unregister("glossary terms")


def test_content_check_runs_a_registered_kind(runner, glossary):
    (glossary.parent / "glossary.txt").write_text("在留資格\n特定技能\n", encoding="utf-8")
    ok = runner.invoke(args=["content", "check"])
    assert ok.exit_code == 0, ok.output
    assert "4 report forms, 2 glossary terms, 6 gates OK" in ok.output

    (glossary.parent / "glossary.txt").write_text("在留資格\n\n", encoding="utf-8")
    bad = runner.invoke(args=["content", "check"])
    assert bad.exit_code == 1 and "glossary.txt:2: empty line" in bad.output


def test_references_see_every_kinds_units(app, glossary):
    """A kind that names other files' units hears of them all once every kind is checked."""
    (glossary.parent / "glossary.txt").write_text("在留資格\n", encoding="utf-8")
    wanted = ("glossary:在留資格", "lectures:A", "stage:practice", "quiz:nowhere")

    def reading_list(root: Path) -> authoring.Checked:
        def references(known: authoring.Known) -> list[authoring.Problem]:
            return [authoring.Problem("reading.txt", 1, f"unknown unit '{unit}'")
                    for unit in wanted if unit not in known.units and
                    not unit.startswith("stage:")]
        return authoring.Checked(wanted, references=references)

    authoring.register(authoring.FileKind("reading lists", reading_list, order=45))
    try:
        with app.app_context():
            messages = [str(p) for p in check_all(glossary).problems]
    finally:
        authoring.unregister("reading lists")
    assert messages == ["reading.txt:1: unknown unit 'quiz:nowhere'"]
