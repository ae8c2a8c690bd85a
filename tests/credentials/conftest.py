"""Certified trainees for credential tests: the certificates' own factory."""

from tests.certificates.conftest import certified  # noqa: F401
