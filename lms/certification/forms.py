"""The committee's forms and the candidate's declaration form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectChoice,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from lms.certification.models import Outcome


class DeclarationForm(FlaskForm):
    """欠格事由の申告: each ground of §6(1), with the day a sentence was served or ended."""

    ground_a = BooleanField(_l("(a) I have a mental impairment that prevents the cognition, "
                               "judgement and communication this work needs."))
    ground_b = BooleanField(_l("(b) I was sentenced to a fine or a heavier penalty under the "
                               "Immigration Control and Refugee Recognition Act or the Technical "
                               "Intern Training Act, or orders under them."))
    ground_b_since = DateField(_l("Date the sentence was served or ceased to apply (empty if "
                                  "not yet)"), validators=[Optional()])
    ground_c = BooleanField(_l("(c) I was sentenced to imprisonment or a heavier penalty under "
                               "any other law."))
    ground_c_since = DateField(_l("Date the sentence was served or ceased to apply (empty if "
                                  "not yet)"), validators=[Optional()])
    ground_d = BooleanField(_l("(d) This certification was revoked from me before."))
    ground_d_since = DateField(_l("Date of the revocation"), validators=[Optional()])
    confirm = BooleanField(_l("I declare that the above is true."))
    submit = SubmitField(_l("Submit the declaration"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not self.confirm.data:
            self.confirm.errors = [_l("Confirm that the declaration is true.")]
            ok = False
        if self.ground_d.data and not self.ground_d_since.data:
            self.ground_d_since.errors = [_l("Enter the date of the revocation.")]
            ok = False
        return ok


class VoteForm(FlaskForm):
    outcome = RadioField(_l("Your vote"), choices=[
        SelectChoice(Outcome.CERTIFIED.value, _l("Certify")),
        SelectChoice(Outcome.NOT_CERTIFIED.value, _l("Do not certify")),
        SelectChoice(Outcome.HOLD.value, _l("Hold"))], default=Outcome.CERTIFIED.value)
    reason = TextAreaField(_l("Reason (required unless you certify)"),
                           validators=[Length(max=2000)])
    submit = SubmitField(_l("Vote"))


class ItemReviewForm(FlaskForm):
    comment = TextAreaField(_l("Comment (required when you request changes)"),
                            validators=[Length(max=2000)])
    approve = SubmitField(_l("Approve this version"))
    request_changes = SubmitField(_l("Request changes"))
