"""Forms for managing people."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from lms.assessment.rules import MAX_EXTRA_PERCENT
from lms.forms import LANGUAGE_CHOICES, strip
from lms.security import Role
from lms.templating import ROLE_LABELS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _role_choices():
    return [SelectChoice(role.value, ROLE_LABELS[role]) for role in Role]


class UserForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the name.")),
                                               Length(max=120)])
    roles = MultiCheckboxField(_l("Roles"), choices=_role_choices,
                               validators=[DataRequired(_l("Choose at least one role."))])
    active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))


class NewUserForm(UserForm):
    email = EmailField(_l("E-mail address"), filters=[strip],
                       validators=[DataRequired(_l("Enter the e-mail address.")),
                                   Email(_l("Enter a valid e-mail address.")), Length(max=254)])
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Create and send invitation"))


class TimeAccommodationForm(FlaskForm):
    """Extra time on timed tests for one trainee; 0 withdraws it."""

    extra_percent = IntegerField(
        _l("Extra time (percent of each test's time limit)"),
        validators=[InputRequired(_l("Enter a percentage (0 withdraws the extra time).")),
                    NumberRange(0, MAX_EXTRA_PERCENT, _l("Enter a percentage from 0 to %(max)s.",
                                                         max=MAX_EXTRA_PERCENT))])
    reason = StringField(_l("Reason"), filters=[strip], validators=[Length(max=500)])
    submit = SubmitField(_l("Save"))

    def validate_reason(self, field):
        if self.extra_percent.data and not field.data:
            raise ValidationError(_l("Enter the reason for the extra time."))
