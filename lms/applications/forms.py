"""Forms of applying and reviewing that are fixed (the draft itself is read by the service)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from lms.applications.review import REJECT_REASONS
from lms.forms import strip


class SignUpForm(FlaskForm):
    name = StringField(_l("Name"), filters=[strip], validators=[
        DataRequired(_l("Enter your name.")), Length(max=120)])
    email = EmailField(_l("E-mail address"), filters=[strip], validators=[
        DataRequired(_l("Enter your e-mail address.")),
        Email(_l("Enter a valid e-mail address.")), Length(max=254)])
    submit = SubmitField(_l("Send the confirmation link"))


class RejectForm(FlaskForm):
    reason = SelectField(_l("Reason"), choices=[SelectChoice(c, c) for c in REJECT_REASONS])
    note = TextAreaField(_l("Note to the applicant"), filters=[strip],
                         validators=[Length(max=1000)])
    submit = SubmitField(_l("Reject"))


class ReturnForm(FlaskForm):
    note = TextAreaField(_l("What to correct"), filters=[strip], validators=[
        DataRequired(_l("Write what the applicant should correct.")), Length(max=1000)])
    due = DateField(_l("Correct by"), validators=[
        DataRequired(_l("Enter a date (YYYY-MM-DD)."))])
    submit = SubmitField(_l("Return for correction"))


class AcceptForm(FlaskForm):
    submit = SubmitField(_l("Accept and enrol"))


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    which = SelectField(_l("Show"), validators=[Optional()])
