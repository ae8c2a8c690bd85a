"""Deployment installs pinned versions within the bounds pyproject.toml declares."""

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


def _requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(r) for r in project["dependencies"]]


def _pins() -> dict[str, Version]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _sep, version = line.partition("==")
            pins[canonicalize_name(name)] = Version(version)
    return pins


def test_every_dependency_has_an_upper_bound_and_a_pin_within_it():
    pins = _pins()
    for requirement in _requirements():
        assert any(s.operator in ("<", "<=", "~=", "==") for s in requirement.specifier), \
            requirement
        pinned = pins[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(pinned, prereleases=True), (requirement, pinned)


def test_gunicorn_is_past_the_request_smuggling_fixes():
    [gunicorn] = [r for r in _requirements() if r.name == "gunicorn"]
    assert not gunicorn.specifier.contains("22.0.0") and gunicorn.specifier.contains("23.0.0")


def test_make_install_uses_the_constraints():
    assert "-c constraints.txt" in (ROOT / "Makefile").read_text()
