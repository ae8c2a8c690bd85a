"""The cohort form: a name, a capacity and the date of every stage."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, IntegerField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from lms.forms import strip

_DATE_REQUIRED = [DataRequired(_l("Enter a date (YYYY-MM-DD)."))]


class CohortForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name, e.g. 第3期.")),
                                               Length(max=80)])
    capacity = IntegerField(_l("Capacity"), default=60, validators=[
        DataRequired(_l("Enter the capacity.")),
        NumberRange(min=1, max=1000, message=_l("Enter a number from 1 to 1000."))])
    training_start = DateField(_l("Training start"), validators=_DATE_REQUIRED)
    course1_start = DateField(_l("Course 1 opens"), validators=_DATE_REQUIRED)
    course1_end = DateField(_l("Course 1 closes"), validators=_DATE_REQUIRED)
    practice_start = DateField(_l("Practice starts"), validators=_DATE_REQUIRED)
    progress_report_opens = DateField(
        _l("Progress report opens"), validators=[Optional()],
        description=_l("Empty: with the practice stage."))
    progress_report_due = DateField(_l("Progress report due"), validators=_DATE_REQUIRED)
    final_report_due = DateField(_l("Final report due"), validators=_DATE_REQUIRED)
    practice_end = DateField(_l("Practice ends"), validators=_DATE_REQUIRED)
    course2_start = DateField(_l("Course 2 starts"), validators=_DATE_REQUIRED)
    course2_end = DateField(_l("Course 2 ends"), validators=_DATE_REQUIRED)
    applications_open = DateField(_l("Applications open"), validators=[Optional()])
    applications_close = DateField(_l("Applications close"), validators=[Optional()])
    submit = SubmitField(_l("Save"))


class EnrolForm(FlaskForm):
    email = EmailField(_l("Trainee's e-mail address"), filters=[strip], validators=[
        DataRequired(_l("Enter the e-mail address.")),
        Email(_l("Enter a valid e-mail address."))])
    submit = SubmitField(_l("Enrol"))
