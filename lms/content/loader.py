"""Read lecture modules (Markdown + YAML front matter) and their captions from git. No Flask.

``load_modules`` is strict: every mistake in every file is reported as ``file:line: message``
and a file with any mistake is left out, so a sync never loads half-checked content.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from lms.authoring.problems import LineMap, Problem, load_yaml_with_lines, show_value
from lms.content.vtt import Cue, VttError, parse_vtt

__all__ = ["Cue", "ModuleFile", "Problem", "VttError", "load_modules", "parse_vtt"]

#: subject groups 科目群 of course ①
GROUPS = ("A", "B", "C", "D", "E")
ID_PATTERN = re.compile(r"^[a-z][0-9]{2}-[a-z0-9-]+$")
KEYS = ("id", "group", "order", "title", "objectives", "video", "captions", "duration",
        "published")
VIDEO_SUFFIXES = (".mp4", ".webm")
LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class ModuleFile:
    """One valid lecture module file (講義), exactly as written in ``modules/<name>.md``."""

    id: str
    group: str
    order: int
    title: str
    objectives: tuple[str, ...]
    #: path relative to the content root, or an http(s) URL
    video: str
    #: language → .vtt path relative to the content root; a read-only mapping (not hashed)
    captions: Mapping[str, str] = field(hash=False)
    duration: int
    published: bool
    #: the Markdown after the front matter, and the file line on which it starts
    body: str
    body_line: int
    #: relative to the content root, e.g. ``modules/d01-interview-skills.md``
    path: str
    #: sha256 hex of the whole file's bytes: a changed hash means a new version
    content_hash: str


def load_modules(content_root: Path) -> tuple[list[ModuleFile], list[Problem]]:
    """Return the valid modules under ``content_root/modules`` (by group, order) and every problem.

    A file with any problem is left out of the modules; problems are sorted by file, then
    by line, like a compiler's.
    """
    root = Path(content_root)
    folder = root / "modules"
    if not folder.is_dir():
        # an empty course would unpublish every module on sync: a wrong root must be loud
        return [], [Problem("modules", 0, f"no modules folder in {root}")]
    modules: list[ModuleFile] = []
    problems: list[Problem] = []
    first_with_id: dict[str, str] = {}
    first_at_place: dict[tuple[str, int], str] = {}
    for file in sorted(folder.glob("*.md")):
        rel = file.relative_to(root).as_posix()
        check = _FileCheck(root, rel, file.read_bytes())
        meta = check.run()
        if "id" in meta:
            if meta["id"] in first_with_id:
                check.fail(("id",), f"duplicate id '{meta['id']}' "
                                    f"(first in {first_with_id[meta['id']]})")
            else:
                first_with_id[meta["id"]] = rel
        if "group" in meta and "order" in meta:
            place = (meta["group"], meta["order"])
            if place in first_at_place:
                check.fail(("order",), f"duplicate order {place[1]} in group {place[0]} "
                                       f"(first in {first_at_place[place]})")
            else:
                first_at_place[place] = rel
        problems.extend(sorted(check.problems, key=lambda problem: problem.line))
        if not check.problems:
            modules.append(check.module(meta))
    modules.sort(key=lambda m: (m.group, m.order))
    return modules, problems




def _seconds(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _is_positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


class _FileCheck:
    """The checks of one module file; collects problems instead of stopping at the first."""

    def __init__(self, root: Path, rel: str, raw: bytes) -> None:
        self.root, self.rel, self.raw = root, rel, raw
        self.problems: list[Problem] = []
        self.lines = LineMap({(): 1})
        self.body, self.body_line = "", 1
        self.end_of_captions: float | None = None
        self.present: set[Any] = set()

    def fail(self, at: tuple[Any, ...], message: str) -> None:
        self.problems.append(Problem(self.rel, self.lines.line_of(at), message))

    def run(self) -> dict[str, Any]:
        """Check the file; return its front matter values that passed their own checks."""
        try:
            text = self.raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            self.problems.append(Problem(self.rel, self.raw[:error.start].count(b"\n") + 1,
                                         "not valid UTF-8"))
            return {}
        lines = text.replace("\r\n", "\n").split("\n")
        if lines[0].rstrip() != "---":
            self.fail((), "missing front matter (the file must start with '---')")
            return {}
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
        if end is None:
            self.fail((), "unterminated front matter (no closing '---')")
            return {}
        self.body, self.body_line = "\n".join(lines[end + 1:]), end + 2
        data, line_map, problems = load_yaml_with_lines("\n".join(lines[1:end]), self.rel, 2)
        self.problems.extend(problems)
        if line_map is None:
            return {}
        self.lines = line_map
        if not isinstance(data, dict) or not data:
            self.fail((), f"front matter must be a mapping of keys, not {show_value(data)}")
            return {}
        return self.fields(data)

    def fields(self, data: dict[Any, Any]) -> dict[str, Any]:
        for key in data:
            if key not in KEYS:
                self.fail((key,), f"unknown key '{key}'")
        for key in KEYS:
            if key not in data:
                self.fail((), f"missing required key '{key}'")
        self.present = set(data)
        ok: dict[str, Any] = {}
        value = data.get("id")
        if not isinstance(value, str):
            self.type_error("id", "a string", value)
        elif not ID_PATTERN.fullmatch(value):
            self.fail(("id",), f"id '{value}' does not match {ID_PATTERN.pattern}")
        else:
            ok["id"] = value
        value = data.get("group")
        if value in GROUPS:
            ok["group"] = value
        elif "group" in data:
            self.fail(("group",), f"unknown group {show_value(value)} (expected one of "
                                  f"{', '.join(GROUPS)})")
        for key in ("order", "duration"):
            if _is_positive_int(data.get(key)):
                ok[key] = data[key]
            else:
                self.type_error(key, "a positive integer", data.get(key))
        if _is_text(data.get("title")):
            ok["title"] = data["title"]
        else:
            self.type_error("title", "a non-empty string", data.get("title"))
        value = data.get("objectives")
        if not isinstance(value, list) or not value:
            self.type_error("objectives", "a non-empty list of strings", value)
        else:
            bad = [i for i, item in enumerate(value) if not _is_text(item)]
            for i in bad:
                self.fail(("objectives", i), f"objective {i + 1} must be a non-empty string, "
                                             f"not {show_value(value[i])}")
            if not bad:
                ok["objectives"] = tuple(value)
        if isinstance(data.get("published"), bool):
            ok["published"] = data["published"]
        else:
            self.type_error("published", "true or false", data.get("published"))
        if self.check_video(data.get("video")):
            ok["video"] = data["video"]
        if self.check_captions(data.get("captions")):
            ok["captions"] = data["captions"]
        if "duration" in ok and self.end_of_captions is not None:
            self.check_duration(ok["duration"], self.end_of_captions)
        return ok

    def type_error(self, key: str, expected: str, value: Any) -> None:
        # a missing key was reported once already; "must be X, not empty" would repeat it
        if key in self.present:
            self.fail((key,), f"'{key}' must be {expected}, not {show_value(value)}")

    def check_video(self, value: Any) -> bool:
        if not _is_text(value):
            self.type_error("video", "a path or an http(s) URL", value)
            return False
        ok = True
        target = value.split("?", 1)[0].split("#", 1)[0]
        if not target.lower().endswith(VIDEO_SUFFIXES):
            self.fail(("video",), f"video '{value}' must be an .mp4 or .webm file")
            ok = False
        if value.startswith(("http://", "https://")):
            return ok
        where = self.outside_root(value)
        if where:
            self.fail(("video",), f"video path '{value}' {where}")
            return False
        if not (self.root / value).is_file():
            self.fail(("video",), f"video file '{value}' not found")
            return False
        return ok

    def check_captions(self, value: Any) -> bool:
        if not isinstance(value, dict) or not value:
            self.type_error("captions", "a mapping of language to .vtt file", value)
            return False
        ok = "ja" in value
        if not ok:
            self.fail(("captions",), "missing captions 'ja' (Japanese is required)")
        for lang, path in value.items():
            at = ("captions", lang)
            if not isinstance(lang, str) or not LANGUAGE.fullmatch(lang):
                self.fail(at, f"caption language {show_value(lang)} is not a code such as 'ja'")
                ok = False
            if not self.check_caption_file(lang, path):
                ok = False
        return ok

    def check_caption_file(self, lang: Any, path: Any) -> bool:
        at, label = ("captions", lang), f"captions '{lang}'"
        if not _is_text(path):
            self.fail(at, f"{label} must be a .vtt path, not {show_value(path)}")
            return False
        where = self.outside_root(path)
        if where:
            self.fail(at, f"{label}: path '{path}' {where}")
            return False
        if not path.lower().endswith(".vtt"):
            self.fail(at, f"{label}: '{path}' is not a .vtt file")
            return False
        if not (self.root / path).is_file():
            self.fail(at, f"{label}: file '{path}' not found")
            return False
        try:
            cues = parse_vtt((self.root / path).read_bytes().decode("utf-8"))
        except UnicodeDecodeError:
            self.fail(at, f"{label}: {path} is not valid UTF-8")
            return False
        except VttError as error:
            self.fail(at, f"{label}: {path}:{error.line}: {error.reason}")
            return False
        if not cues:
            self.fail(at, f"{label}: {path} has no cues")
            return False
        if lang == "ja":
            self.end_of_captions = max(cue.end for cue in cues)
        return True

    def check_duration(self, duration: int, end: float) -> None:
        # titles and credits make the video a little longer than its captions; minutes off
        # means the duration (or the captions) belong to another video
        if abs(duration - end) > 0.1 * duration + 2:
            self.fail(("duration",), f"duration {duration} s is far from the captions' end "
                                     f"{_seconds(end)} s (more than 10 % + 2 s off)")

    def outside_root(self, path: str) -> str | None:
        """Say why *path* is not a relative path inside the content root, or return None."""
        if _SCHEME.match(path) or path.startswith(("/", "\\")):
            return "must be relative to the content root"
        normal = posixpath.normpath(path.replace("\\", "/"))
        if normal == ".." or normal.startswith("../"):
            return "escapes the content root"
        root = self.root.resolve()
        try:
            inside = (root / normal).resolve().is_relative_to(root)  # a symlink may lead out
        except (OSError, ValueError):  # a NUL byte, a symlink loop
            return "is not a usable path"
        return None if inside else "escapes the content root"

    def module(self, meta: dict[str, Any]) -> ModuleFile:
        fields = {**meta, "captions": MappingProxyType(dict(meta["captions"]))}
        return ModuleFile(**fields, body=self.body, body_line=self.body_line, path=self.rel,
                          content_hash=hashlib.sha256(self.raw).hexdigest())
