"""Forms for creating and changing a course ② session or venue (times are Tokyo times)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lms.booking.rules import MAX_SESSION_DAYS
from lms.forms import strip

WHEN = "%Y-%m-%dT%H:%M"


class SessionForm(FlaskForm):
    title = StringField(_l("Title"), filters=[strip], validators=[DataRequired(), Length(max=120)])
    venue_id = SelectField(_l("Venue"), coerce=int)
    capacity = IntegerField(_l("Capacity"), validators=[InputRequired(), NumberRange(min=1)])
    instructors = StringField(_l("Instructors"), filters=[strip], validators=[Length(max=300)])
    booking_opens_at = DateTimeLocalField(_l("Booking opens"), format=WHEN,
                                          validators=[DataRequired()])
    booking_closes_at = DateTimeLocalField(_l("Booking closes"), format=WHEN,
                                           validators=[DataRequired()])
    cancel_cutoff_at = DateTimeLocalField(_l("Cancellation possible until"), format=WHEN,
                                          validators=[DataRequired()])
    test_opens_at = DateTimeLocalField(_l("Certification test opens"), format=WHEN,
                                       validators=[DataRequired()])
    test_closes_at = DateTimeLocalField(_l("Certification test closes"), format=WHEN,
                                        validators=[DataRequired()])


class NewSessionForm(SessionForm):
    """A new session: the change form plus its cohort and days; the windows after booking
    opens may be left empty for the policy's defaults."""

    cohort_id = SelectField(_l("Cohort"), coerce=int)
    first_day = DateField(_l("First day"), validators=[DataRequired()])
    days = IntegerField(_l("Number of days"), default=2,
                        validators=[InputRequired(), NumberRange(min=1, max=MAX_SESSION_DAYS)])
    booking_closes_at = DateTimeLocalField(_l("Booking closes"), format=WHEN,
                                           validators=[Optional()])
    cancel_cutoff_at = DateTimeLocalField(_l("Cancellation possible until"), format=WHEN,
                                          validators=[Optional()])
    test_opens_at = DateTimeLocalField(_l("Certification test opens"), format=WHEN,
                                       validators=[Optional()])
    test_closes_at = DateTimeLocalField(_l("Certification test closes"), format=WHEN,
                                        validators=[Optional()])


class VenueForm(FlaskForm):
    name = StringField(_l("Venue name"), filters=[strip],
                       validators=[DataRequired(), Length(max=120)])
    address = StringField(_l("Address"), filters=[strip],
                          validators=[DataRequired(), Length(max=300)])
    access_notes = TextAreaField(_l("Access notes"), filters=[strip])
    capacity = IntegerField(_l("Capacity"), validators=[InputRequired(), NumberRange(min=1)])
