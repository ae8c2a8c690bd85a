"""The LRS's contract, as a third party would check it: one file per resource and version.

Test names carry the section of the specification they check: ``data_2_4_6`` is xAPI 1.0.3
Part Two (Data) §2.4.6, ``comm_2_1_3`` Part Three (Communication) §2.1.3; ``v2_`` tests check
the xAPI 2.0 rules (IEEE 9274.1.1-2023) with ``X-Experience-API-Version: 2.0.0``.
"""

from __future__ import annotations

import pytest

from tests.lrs.conftest import Lrs, make_client


class Lrs2(Lrs):
    """The same client speaking xAPI 2.0.0."""

    def headers(self, **extra):
        return {**super().headers(), "X-Experience-API-Version": "2.0.0", **extra}


@pytest.fixture
def lrs2(app, client):
    make_client(app, key="tester2", secret="tester2-secret")
    return Lrs2(client, "tester2", "tester2-secret")


def refused(response, field: str) -> bool:
    """A 400 in JSON whose English message names *field*."""
    body = response.get_json(silent=True) or {}
    message = body.get("error", {}).get("message", "")
    return response.status_code == 400 and field in message and "pydantic" not in message \
        and "validation error" not in message
