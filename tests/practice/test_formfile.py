"""Report form files: the strict loader, without an app."""

import hashlib
import shutil
from pathlib import Path

import pytest

from lms.practice.formfile import Deadline, Field, load_report_forms

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_ROOT = Path(__file__).parents[2]

#: every mistake in fixtures/broken, each at the line where the file is broken
BROKEN = """\
reports:0: no form of kind progress, final (one of each is needed: goal, reflection, progress, \
final)
reports/a-syntax.yaml:2: YAML syntax error: found unexpected end of stream \
(while scanning a quoted scalar)
reports/b-top.yaml:1: id 'B-top' does not match ^[a-z][a-z0-9_-]*$
reports/b-top.yaml:3: 'title' must be a non-empty string, not an empty string
reports/b-top.yaml:4: 'description' must be a string, not 5
reports/b-top.yaml:5: unknown cohort date 'course3_start' (expected one of training_start, \
course1_start, course1_end, practice_start, progress_report_opens, progress_report_due, \
final_report_due, practice_end, course2_start, course2_end)
reports/b-top.yaml:5: 'offset_days' must be an integer, not '14'
reports/b-top.yaml:6: 'editable_days' is only for reflection forms, not goal
reports/b-top.yaml:7: unknown key 'colour'
reports/b-top.yaml:8: 'fields' must be a non-empty list, not an empty list
reports/c-fields.yaml:1: missing key 'editable_days' (a reflection form needs it)
reports/c-fields.yaml:4: missing required key 'offset_days'
reports/c-fields.yaml:9: min_length 100 is more than max_length 50
reports/c-fields.yaml:11: 'options' does not belong in a text field
reports/c-fields.yaml:12: duplicate field id 'what_happened' (first at line 6)
reports/c-fields.yaml:18: option '在留' is listed twice (first at line 16)
reports/c-fields.yaml:19: option 4 must be a non-empty string, not 7
reports/c-fields.yaml:20: 'required' must be true or false, not 1
reports/c-fields.yaml:21: field id 'Count' does not match ^[a-z][a-z0-9_]*$
reports/c-fields.yaml:24: min 10 is more than max 5
reports/c-fields.yaml:26: 'unit' must be a non-empty string, not an empty string
reports/c-fields.yaml:30: extension 1 must be a lowercase extension such as 'pdf', not 'PDF'
reports/c-fields.yaml:30: extension 2 must be a lowercase extension such as 'pdf', not '.docx'
reports/c-fields.yaml:30: extension 'pdf' is listed twice (first at line 30)
reports/c-fields.yaml:31: 'max_size_mb' must be a positive number, not 0
reports/c-fields.yaml:32: missing required key 'options'
reports/c-fields.yaml:36: 'type' must be one of text, choice, multichoice, date, number, file, \
not 'essay'
reports/c-fields.yaml:38: unknown key 'hint'
reports/c-fields.yaml:40: a field must be a mapping, not 'just a string'
reports/c-fields.yaml:41: missing required key 'label'
reports/d-copy.yaml:1: id 'c-fields' must be the file name 'd-copy'
reports/d-copy.yaml:1: form id 'c-fields' is used twice (first in reports/c-fields.yaml)
reports/d-copy.yaml:2: kind 'goal' is used twice (first in reports/b-top.yaml)
reports/e-list.yaml:1: a report form file must be a mapping of keys, not a list
reports/f-kind.yaml:1: missing required key 'deadline'
reports/f-kind.yaml:2: 'kind' must be one of goal, reflection, progress, final, not 'daily'
reports/f-kind.yaml:4: duplicate key 'title'
reports/g-utf8.yaml:2: not valid UTF-8
reports/z-extension.yml:0: report form files must end in .yaml
"""


def test_every_problem_in_every_file_is_reported_at_once_with_file_and_line():
    forms, problems = load_report_forms(FIXTURES / "broken")
    assert [str(p) for p in problems] == BROKEN.splitlines()
    assert forms == []  # a file with any problem is left out


def test_the_real_report_forms_load_without_problems():
    forms, problems = load_report_forms(SAMPLE_ROOT)
    assert [str(p) for p in problems] == []
    assert sorted(form.kind for form in forms) == ["final", "goal", "progress", "reflection"]
    by_kind = {form.kind: form for form in forms}
    assert by_kind["reflection"].editable_days == 3
    assert by_kind["progress"].deadline == Deadline("progress_report_due", 0)
    assert by_kind["final"].deadline == Deadline("final_report_due", 0)
    # the attachment is the one answer a trainee may leave out
    optional = [(f.id, form.kind) for form in forms for f in form.fields if not f.required]
    assert optional == [("attachment", "final")]


def test_a_good_form_loads_with_every_field_type_and_its_defaults():
    forms, problems = load_report_forms(FIXTURES / "good")
    assert problems == []
    assert [form.id for form in forms] == ["final", "goal", "progress", "reflection"]
    goal = forms[1]
    raw = (FIXTURES / "good" / "reports" / "goal.yaml").read_bytes()
    assert (goal.kind, goal.title, goal.description) == ("goal", "目標", "")
    assert goal.deadline == Deadline("practice_start", 14)
    assert goal.editable_days is None
    assert (goal.path, goal.content_hash) == ("reports/goal.yaml", hashlib.sha256(raw).hexdigest())
    assert goal.fields == (
        Field("theme", "text", "テーマ"),
        Field("goal", "text", "目標", help="一文で。", multiline=True, min_length=5,
              max_length=20),
        Field("competency", "choice", "力", options=("在留", "文化")),
        Field("competencies", "multichoice", "力（複数）", required=False,
              options=("在留", "文化", "解決", "つなぎ")),
        Field("target_date", "date", "目安日"),
        Field("hours", "number", "時間", min=0.5, max=40, unit="時間"),
        Field("plan", "file", "計画書", required=False, accept=("pdf", "docx"),
              max_size_mb=2.5),
    )
    # a field is required unless it says otherwise
    assert goal.field("theme").required is True
    assert forms[3].editable_days == 0
    assert forms[2].deadline == Deadline("progress_report_due", -3)


def test_field_looks_up_by_id():
    forms, _ = load_report_forms(FIXTURES / "good")
    assert forms[0].field("summary").label == "まとめ"
    with pytest.raises(KeyError):
        forms[0].field("nothing")


def test_a_kind_with_no_form_is_a_problem_of_the_folder_and_the_rest_still_load(tmp_path):
    shutil.copytree(FIXTURES / "good", tmp_path / "root")
    (tmp_path / "root" / "reports" / "final.yaml").unlink()
    forms, problems = load_report_forms(tmp_path / "root")
    assert [str(p) for p in problems] == [
        "reports:0: no form of kind final (one of each is needed: goal, reflection, progress, "
        "final)"]
    assert [form.kind for form in forms] == ["goal", "progress", "reflection"]


def test_a_missing_reports_folder_is_one_loud_problem(tmp_path):
    forms, problems = load_report_forms(tmp_path)
    assert forms == []
    assert [str(p) for p in problems] == [f"reports:0: no reports folder in {tmp_path}"]


def test_keys_of_another_field_type_are_errors_but_a_bad_type_blames_only_the_type(tmp_path):
    folder = tmp_path / "reports"
    shutil.copytree(FIXTURES / "good" / "reports", folder)
    (folder / "final.yaml").write_text(
        "id: final\nkind: final\ntitle: t\ndeadline: {date: final_report_due, offset_days: 0}\n"
        "fields:\n"
        "  - {id: a, type: date, label: A, max_length: 5}\n"
        "  - {id: b, type: number, label: B, accept: [pdf]}\n"
        "  - {id: c, type: movie, label: C, unit: 件}\n", encoding="utf-8")
    _, problems = load_report_forms(tmp_path)
    assert [str(p) for p in problems] == [
        "reports/final.yaml:6: 'max_length' does not belong in a date field",
        "reports/final.yaml:7: 'accept' does not belong in a number field",
        "reports/final.yaml:8: 'type' must be one of text, choice, multichoice, date, number, "
        "file, not 'movie'",
    ]
