"""What every part of a statement is built from: IRIs, UUIDs, timestamps, language maps,
extensions, and the error that names the broken field (pure)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC
from typing import Any

from lms.xapi.index import parse_timestamp

VERSION_1 = re.compile(r"^1\.0(\.\d+)?$")
VERSION_2 = re.compile(r"^2\.0\.\d+$")
#: IRIs are indexed in 500-character columns: longer ones are refused (a documented limit)
MAX_IRI = 500
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
MBOX = re.compile(r"^mailto:[^@\s]+@[^@\s]+$")
SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
SHA2 = re.compile(r"^(?:[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128})$")
UUID_FORM = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                       r"[0-9a-fA-F]{12}$")
_NUMBER = r"\d+(?:[.,]\d+)?"
DURATION = re.compile(rf"^P(?:{_NUMBER}W|(?=\d|T\d)(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}D)?"
                      rf"(?:T(?=\d)(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?)$")
#: RFC 3339 date-time, which xAPI 2.0 requires of timestamps (an offset included)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
MEDIA_TYPE = re.compile(r"^[\w.+-]+/[\w.+-]+(\s*;.*)?$")
INTERACTION_TYPES = {"true-false", "choice", "fill-in", "long-fill-in", "matching",
                     "performance", "sequencing", "likert", "numeric", "other"}
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")


class Invalid(ValueError):
    """The statement breaks a rule; ``field`` names where, ``str()`` says why (English)."""

    def __init__(self, field: str, problem: str):
        super().__init__(f"{field}: {problem}" if field else problem)
        self.field, self.problem = field, problem


def no_nul(value: Any, path: str) -> None:
    """PostgreSQL cannot store NUL characters in JSON: refuse them anywhere."""
    if isinstance(value, str):
        if "\x00" in value:
            raise Invalid(path, "must not contain NUL characters")
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                raise Invalid(path, "property names must not contain NUL characters")
            no_nul(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            no_nul(item, f"{path}[{i}]")


def only_keys(obj: dict, allowed: set[str], path: str) -> None:
    """Refuse the first property of *obj* (in name order) that is not in *allowed*."""
    extra = sorted(set(obj) - allowed)
    if extra:
        where = f"{path}.{extra[0]}" if path else extra[0]
        raise Invalid(where, "is not a property xAPI allows here")


class Primitives:
    """The rules of the values statements are made of; *v2* adds xAPI 2.0's."""

    def __init__(self, v2: bool):
        self.v2 = v2

    def obj(self, value: Any, path: str) -> dict:
        if not isinstance(value, dict):
            raise Invalid(path, "must be a JSON object")
        return value

    def string(self, value: Any, path: str) -> str:
        if not isinstance(value, str):
            raise Invalid(path, "must be a string")
        return value

    def iri(self, value: Any, path: str, limit: int = MAX_IRI) -> None:
        self.string(value, path)
        if not IRI.match(value):
            raise Invalid(path, "must be an absolute IRI")
        if len(value) > limit:
            raise Invalid(path, f"is longer than {limit} characters")

    def uuid(self, value: Any, path: str) -> None:
        self.string(value, path)
        if not UUID_FORM.match(value):
            raise Invalid(path, "must be a UUID")
        uuid.UUID(value)

    def timestamp(self, value: Any, path: str) -> None:
        self.string(value, path)
        if re.search(r"-00(:?00)?$", value):
            raise Invalid(path, "must not use the offset -00:00")
        if self.v2 and not RFC3339.match(value):
            raise Invalid(path, "must be an RFC 3339 date-time with an offset (xAPI 2.0)")
        try:
            parse_timestamp(value).astimezone(UTC)
        except ValueError:
            raise Invalid(path, "must be an ISO 8601 timestamp") from None
        except OverflowError:
            raise Invalid(path, "is outside the range of dates this LRS stores") from None

    def language_map(self, value: Any, path: str) -> None:
        for tag, text in self.obj(value, path).items():
            if not LANGUAGE_TAG.match(tag):
                raise Invalid(f"{path}.{tag}", "is not an RFC 5646 language tag")
            self.string(text, f"{path}.{tag}")

    def extensions(self, value: Any, path: str) -> None:
        for key in self.obj(value, path):
            self.iri(key, f"{path}.{key}", limit=2048)
