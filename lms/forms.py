"""Form pieces every feature shares: the bare CSRF button, field filters, language choices."""

from flask_wtf import FlaskForm
from wtforms import SelectChoice


class ActionForm(FlaskForm):
    """A bare form: a CSRF-protected button."""


def strip(value):
    """Field filter: drop surrounding spaces (pasted addresses often carry them)."""
    return value.strip() if isinstance(value, str) else value


LANGUAGE_CHOICES = [SelectChoice("ja", "日本語"), SelectChoice("en", "English")]
