"""The form for a new LRS client."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from lms.forms import strip


class LrsClientForm(FlaskForm):
    name = StringField(_l("Client name"), filters=[strip],
                       validators=[DataRequired(), Length(max=120)])
    key = StringField(_l("Key (user name; leave empty to generate one)"), filters=[strip],
                      validators=[Optional(), Regexp(r"^[A-Za-z0-9._-]{3,60}$", message=_l(
                          "The key may use letters, digits, '.', '_' and '-' (3 to 60)."))])
    can_read = BooleanField(_l("May read statements and documents"), default=True)
    can_write = BooleanField(_l("May write statements and documents"), default=True)


class LrsTrustForm(FlaskForm):
    """Which of a client's statements count as certification evidence (IRIs, one a line)."""

    verbs = TextAreaField(_l("Verbs trusted as evidence (IRIs, one a line)"))
    activities = TextAreaField(_l("Activities trusted as evidence (IRIs, one a line)"))
