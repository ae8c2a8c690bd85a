"""Module files, front matter and captions, loaded without an app."""

import hashlib
import shutil
from pathlib import Path

import pytest

from lms.authoring.problems import Problem, load_yaml_with_lines
from lms.content.loader import Cue, load_modules, parse_vtt

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_COURSE = Path(__file__).parents[2] / "content"

#: every mistake in fixtures/broken, each at the line where the file is broken
BROKEN = """\
modules/a02-duplicate-id.md:2: duplicate id 'a01-ok' (first in modules/a01-ok.md)
modules/a03-duplicate-order.md:4: duplicate order 1 in group A (first in modules/a01-ok.md)
modules/b01-unknown-key.md:2: missing required key 'video'
modules/b01-unknown-key.md:8: unknown key 'vidoe'
modules/b02-types.md:4: 'order' must be a positive integer, not '2'
modules/b02-types.md:5: 'title' must be a non-empty string, not an empty string
modules/b02-types.md:8: objective 2 must be a non-empty string, not 42
modules/b02-types.md:12: 'duration' must be a positive integer, not 0
modules/b02-types.md:13: 'published' must be true or false, not 'yes'
modules/b03-bad-id-group.md:2: id 'B03_Bad' does not match ^[a-z][0-9]{2}-[a-z0-9-]+$
modules/b03-bad-id-group.md:3: unknown group 'F' (expected one of A, B, C, D, E)
modules/b04-yaml-syntax.md:5: YAML syntax error: could not find expected ':' \
(while scanning a simple key)
modules/b05-duplicate-key.md:12: duplicate key 'title'
modules/c01-no-front-matter.md:1: missing front matter (the file must start with '---')
modules/c02-unterminated.md:1: unterminated front matter (no closing '---')
modules/c03-not-mapping.md:2: front matter must be a mapping of keys, not a list
modules/d01-video-missing.md:8: video file 'media/missing.mp4' not found
modules/d02-video-format.md:8: video 'media/clip.avi' must be an .mp4 or .webm file
modules/d03-outside-root.md:8: video path '/srv/lecture.mp4' must be relative to the content root
modules/d03-outside-root.md:10: captions 'ja': path 'media/../../secret.ja.vtt' \
escapes the content root
modules/e01-caption-files.md:10: captions 'ja': media/no-header.ja.vtt:1: missing 'WEBVTT' header
modules/e01-caption-files.md:11: captions 'en': file 'media/missing.en.vtt' not found
modules/e01-caption-files.md:12: captions 'ko': 'media/subs.ko.srt' is not a .vtt file
modules/e02-caption-timing.md:9: captions 'ja': media/bad-timing.ja.vtt:4: \
bad cue timing '00:00:01.000 -> 00:00:02.000'
modules/e02-caption-timing.md:9: captions 'en': media/backwards.en.vtt:3: \
cue end 00:02.000 is not after its start 00:05.000
modules/e03-no-japanese.md:9: missing captions 'ja' (Japanese is required)
modules/e03-no-japanese.md:10: caption language 'English' is not a code such as 'ja'
modules/e04-duration.md:11: duration 60 s is far from the captions' end 6 s \
(more than 10 % + 2 s off)
modules/e05-not-utf8.md:5: not valid UTF-8
"""


def test_every_problem_in_every_file_is_reported_at_once_with_file_and_line():
    modules, problems = load_modules(FIXTURES / "broken")
    assert [str(p) for p in problems] == BROKEN.splitlines()
    assert [m.id for m in modules] == ["a01-ok"]  # files with any problem are left out


def test_good_modules_load_with_every_field():
    modules, problems = load_modules(FIXTURES / "good")
    assert problems == []
    first, second = modules
    assert (first.id, first.group, first.order, first.title) == ("a01-first", "A", 1, "最初の講義")
    assert first.objectives == ("一つ目の目標", "二つ目の目標")
    assert first.video == "media/a01-first.mp4" and first.duration == 6 and first.published
    assert dict(first.captions) == {"ja": "media/a01-first.ja.vtt", "en": "media/a01-first.en.vtt"}
    assert first.path == "modules/a01-first.md"
    assert first.body.startswith("\n## はじめに") and first.body_line == 16
    raw = (FIXTURES / "good" / first.path).read_bytes()
    assert first.content_hash == hashlib.sha256(raw).hexdigest()
    assert second.video.startswith("https://") and second.published is False
    assert second.body == "本文\n" and second.body_line == 12


def test_module_files_are_immutable_and_hashable():
    module = load_modules(FIXTURES / "good")[0][0]
    with pytest.raises(TypeError):
        module.captions["ja"] = "other.vtt"  # type: ignore[index]
    assert len({module, module}) == 1


def test_modules_come_sorted_by_group_then_order(tmp_path):
    shutil.copytree(FIXTURES / "good", tmp_path, dirs_exist_ok=True)
    renamed = tmp_path / "modules" / "0-first-by-name.md"
    (tmp_path / "modules" / "b01-second.md").rename(renamed)
    modules, problems = load_modules(tmp_path)
    assert problems == [] and [m.id for m in modules] == ["a01-first", "b01-second"]


def test_a_symlink_out_of_the_content_root_is_refused(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "good", root)
    (tmp_path / "secret.mp4").write_bytes(b"x")
    (root / "media" / "a01-first.mp4").unlink()
    (root / "media" / "a01-first.mp4").symlink_to(tmp_path / "secret.mp4")
    _, problems = load_modules(root)
    assert [str(p) for p in problems] == [
        "modules/a01-first.md:9: video path 'media/a01-first.mp4' escapes the content root"]


def test_a_missing_modules_folder_is_a_problem_not_an_empty_course(tmp_path):
    problem = Problem("modules", 0, f"no modules folder in {tmp_path}")
    assert load_modules(tmp_path) == ([], [problem])


def test_the_sample_course_loads_cleanly():
    modules, problems = load_modules(SAMPLE_COURSE)
    assert [str(p) for p in problems if "far from the captions' end" not in p.message] == []
    assert len(modules) == len(list((SAMPLE_COURSE / "modules").glob("*.md"))) > 0


# --- YAML with lines -------------------------------------------------------------------------

DOC = """\
id: x
captions: {ja: a.vtt}
objectives:
  - one
  - two
nested:
  deeper:
    key: 1
"""


def test_line_map_knows_every_key_and_item_counting_from_the_first_line():
    data, lines, problems = load_yaml_with_lines(DOC, "f.md", first_line=2)
    assert problems == [] and data["objectives"] == ["one", "two"]
    assert lines is not None
    assert lines.line_of(()) == 2
    assert lines.line_of(("id",)) == 2
    assert lines.line_of(("captions", "ja")) == 3
    assert lines.line_of(("objectives", 1)) == 6
    assert lines.line_of(("nested", "deeper", "key")) == 9


def test_line_map_falls_back_to_the_nearest_ancestor():
    _, lines, _ = load_yaml_with_lines(DOC, "f.md")
    assert lines is not None
    assert lines.line_of(("captions", "en")) == 2
    assert lines.line_of(("objectives", 9)) == 3
    assert lines.line_of(("absent", "deeper")) == 1


def test_yaml_syntax_error_is_one_problem_at_its_line():
    data, lines, problems = load_yaml_with_lines("a: 1\nb: 'open\nc: 3\n", "q.yaml", 1)
    assert data is None and lines is None
    assert [str(p) for p in problems] == [
        "q.yaml:2: YAML syntax error: found unexpected end of stream "
        "(while scanning a quoted scalar)"]


def test_duplicate_keys_are_problems_and_the_last_value_wins():
    data, lines, problems = load_yaml_with_lines("a: 1\nm:\n  k: 1\n  k: 2\na: 3\n", "q.yaml")
    assert data == {"a": 3, "m": {"k": 2}}
    assert [str(p) for p in problems] == ["q.yaml:4: duplicate key 'k'",
                                          "q.yaml:5: duplicate key 'a'"]
    assert lines is not None and lines.line_of(("a",)) == 5


def test_only_safe_yaml_is_accepted():
    _, _, problems = load_yaml_with_lines("a: !!python/object/apply:os.system [ls]\n", "q.yaml")
    assert [str(p) for p in problems] == [
        "q.yaml:1: YAML error: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'"]


def test_empty_yaml_is_no_data_without_problems():
    data, lines, problems = load_yaml_with_lines("", "q.yaml", first_line=4)
    assert data is None and problems == [] and lines is not None and lines.line_of(()) == 4


# --- WebVTT ----------------------------------------------------------------------------------


def test_vtt_cues_with_optional_hours_settings_identifiers_and_tags():
    text = ("\ufeffWEBVTT - 日本語字幕\nKind: captions\n\n"
            "NOTE これは無視される\n\n"
            "STYLE\n::cue { color: yellow }\n\n"
            "intro\n00:05.000 --> 00:07.500 align:start position:10%\n"
            "<v 講師>こんにちは</v>\n<i>二行目</i> &amp; 三\n\n"
            "01:00:00.000 --> 01:00:01.250\n最後\n")
    assert parse_vtt(text) == [Cue(5.0, 7.5, "こんにちは\n二行目 & 三"),
                               Cue(3600.0, 3601.25, "最後")]


def test_vtt_with_crlf_and_a_cue_right_after_another():
    text = "WEBVTT\r\n\r\n00:00.000 --> 00:01.000\r\na\r\n00:01.000 --> 00:02.000\r\nb\r\n"
    assert parse_vtt(text) == [Cue(0.0, 1.0, "a"), Cue(1.0, 2.0, "b")]


def test_vtt_without_cues_is_empty():
    assert parse_vtt("WEBVTT\n") == []


@pytest.mark.parametrize(("text", "message"), [
    ("WEBVTT\n\n1\n00:00:01.000 -> 00:00:02.000\nx\n",
     "line 4: bad cue timing '00:00:01.000 -> 00:00:02.000'"),
    ("WEBVTT\n\n00:00.000 --> 00:01.000\nx\n\n00:01,000 --> 00:02,000\ny\n",
     "line 6: bad cue timing '00:01,000 --> 00:02,000'"),
    ("WEBVTT\n\n0:00:01.000 --> 0:00:02.000\nx\n",
     "line 3: bad cue timing '0:00:01.000 --> 0:00:02.000'"),
    ("WEBVTT\n\n00:61.000 --> 01:02.000\nx\n", "line 3: bad cue timing '00:61.000 --> 01:02.000'"),
    ("WEBVTT\n\n00:02.000 --> 00:02.000\nx\n",
     "line 3: cue end 00:02.000 is not after its start 00:02.000"),
    ("WEBVTT\n\njust some text\nmore text\n",
     "line 4: expected a cue timing 'start --> end', got 'more text'"),
    ("WEBVTTX\n\n00:00.000 --> 00:01.000\nx\n", "line 1: missing 'WEBVTT' header"),
    ("", "line 1: missing 'WEBVTT' header"),
])
def test_malformed_vtt_raises_naming_the_line(text, message):
    with pytest.raises(ValueError) as caught:
        parse_vtt(text)
    assert str(caught.value) == message
