"""The one base of the errors a service raises for the person who asked (no Flask here).

A service refuses an action by raising a subclass of :class:`UserError` (``QuizError``,
``BookingError``, …) whose ``code`` names why; the view turns the code into a translated
message, filled in with ``params``. Catching ``UserError`` catches every such refusal.
"""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """An action the rules refuse; ``code`` names the reason for the view's message."""

    def __init__(self, code: str = "", **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
