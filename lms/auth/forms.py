"""Forms for logging in and managing one's password."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from lms.auth.rules import MIN_PASSWORD_LENGTH, password_problems
from lms.forms import LANGUAGE_CHOICES, strip

PROBLEM_MESSAGES = {
    "too_short": _l("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
    "one_kind": _l("Mix letters with digits or symbols."),
    "contains_email": _l("Do not use your e-mail address in the password."),
    "control": _l("Do not use control characters."),
    "common": _l("This password is among the most common ones; choose a less guessable one."),
}


class StrongPassword:
    """Validator: the password must pass the strength rules."""

    def __init__(self, email_field: str | None = None):
        self.email_field = email_field

    def __call__(self, form, field):
        problems = password_problems(field.data or "", getattr(form, "_email", ""))
        if problems:
            raise ValidationError(" ".join(str(PROBLEM_MESSAGES[p]) for p in problems))


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"), filters=[strip],
        validators=[DataRequired(_l("Enter your e-mail address.")),
                    Email(_l("Enter a valid e-mail address."))],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password."))]
    )
    submit = SubmitField(_l("Log in"))


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a password.")), StrongPassword()],
    )
    confirm = PasswordField(
        _l("New password (again)"),
        validators=[DataRequired(_l("Enter the password again.")),
                    EqualTo("password", _l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Set password"))


class ChangePasswordForm(SetPasswordForm):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )
    submit = SubmitField(_l("Change password"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"), filters=[strip],
        validators=[DataRequired(_l("Enter your e-mail address.")),
                    Email(_l("Enter a valid e-mail address.")), Length(max=254)],
    )
    submit = SubmitField(_l("Send reset link"))


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Change"))
