"""Forms: the holder's registry profile, reissue and revocation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from lms.certificates.models import RevocationGround
from lms.forms import strip

GROUND_LABELS = {
    RevocationGround.DISQUALIFIED_AT_CERTIFICATION: _l(
        "A disqualification applied when certified"),
    RevocationGround.DISQUALIFIED_LATER: _l("A disqualification arose after certification"),
    RevocationGround.IMPROPER_MEANS: _l("Certified by improper means"),
    RevocationGround.OTHER: _l("Other"),
}

#: 都道府県, in the official order
PREFECTURES = (
    "北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 "
    "神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 "
    "大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 "
    "福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県").split()


def _text(value):
    """A field left out of the post is empty text, not NULL."""
    return value or ""


class ProfileForm(FlaskForm):
    furigana = StringField(_l("Name in kana (furigana)"), filters=[strip, _text],
                           validators=[Optional(), Length(max=120)])
    organisation = StringField(_l("Organisation"), filters=[strip, _text],
                               validators=[Optional(), Length(max=200)])
    prefecture = SelectField(_l("Prefecture"), choices=[SelectChoice("", "—")]
                             + [SelectChoice(p, p) for p in PREFECTURES],
                             validate_choice=True)
    list_consent = BooleanField(_l("List my organisation in the public organisation list"))


class ReissueForm(FlaskForm):
    reason = StringField(_l("Reason for reissue"), filters=[strip],
                         validators=[DataRequired(), Length(max=300)])


class RevokeForm(FlaskForm):
    ground = SelectField(_l("Ground"), choices=[SelectChoice(g.value, label) for g, label in
                                                GROUND_LABELS.items()])
    note = TextAreaField(_l("Note"), filters=[strip], validators=[DataRequired(), Length(max=2000)])


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    number = StringField(_l("Certificate number"), filters=[strip],
                         validators=[DataRequired(), Length(max=40)])
    family_name = StringField(_l("Family name (optional)"), filters=[strip],
                              validators=[Optional(), Length(max=60)])
