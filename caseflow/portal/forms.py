"""The portal's forms, in words for a person who is not used to forms; every message translated, every
value checked (a wrong one re-renders the form with what was typed, next to a message)."""
from __future__ import annotations

import unicodedata

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp, ValidationError

from caseflow.core.i18n import _l
from caseflow.core.text import nfc
from caseflow.web.dates import VnDateField
from caseflow.web.forms import choices, localise_messages

REQUIRED = _l("Please fill this in.")
TOO_LONG = _l("Too long.")


def plain_name(form, field) -> None:
    """A person's name: letters (any accents, typed composed or not), spaces and . ' -; no emoji or symbols."""
    value = nfc(field.data or "")
    if any(not (unicodedata.category(ch)[0] in "LM" or ch in " .'-") for ch in value):
        raise ValidationError(_l("A name has only letters, spaces and . ' -"))


def plain_text(form, field) -> None:
    """No control characters (pasted from elsewhere) besides line breaks and tabs."""
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in field.data or ""):
        raise ValidationError(_l("The text holds characters that cannot be kept."))


class LocalisedForm(FlaskForm):
    """WTForms' own messages (a wrong choice, a date that is not one) in the page's language."""

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not ok:
            localise_messages(self)
        return ok


PHONE = Regexp(r"^\+?[0-9 .()-]{8,20}$", message=_l("A phone number has 8 to 15 digits, e.g. 0905 123 456."))


class PortalForm(LocalisedForm):
    #: the honeypot: hidden from people by CSS, filled only by robots (no CAPTCHA service to call out to)
    website = StringField(_l("Leave this empty"), validators=[Optional()], render_kw={"autocomplete": "off",
                                                                                      "tabindex": "-1"})
    unit_id = SelectField(_l("Where do you work (district, town or sector)?"), coerce=str,
                          validators=[InputRequired(message=REQUIRED)])
    phone = StringField(_l("Phone"), validators=[Optional(), PHONE], render_kw={"inputmode": "tel",
                                                                              "autocomplete": "tel"})
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=200, message=TOO_LONG),
                                                  Email(message=_l("Not a valid e-mail address."))],
                        render_kw={"inputmode": "email", "autocomplete": "email"})
    address = TextAreaField(_l("Address"), validators=[Optional(), Length(max=500, message=TOO_LONG), plain_text],
                            render_kw={"rows": 2, "autocomplete": "street-address"})
    files = MultipleFileField(_l("Papers or photos (PDF, JPG, PNG, DOCX; at most 3 files of 10 MB)"))
    consent = BooleanField(_l("I have read how my personal data will be kept and used, and I agree."),
                           validators=[InputRequired(message=_l("Please tick this box to send."))])


class LegalHelpForm(PortalForm):
    full_name = StringField(_l("Your full name"), validators=[InputRequired(message=REQUIRED),
                                                             Length(max=200, message=TOO_LONG), plain_name],
                            render_kw={"autocomplete": "name"})
    member = RadioField(_l("Are you a union member?"), choices=choices([("member", _l("Yes, I am a union member")),
                                                                ("non_member", _l("No / I do not know"))]),
                        validators=[InputRequired(message=REQUIRED)])
    birth_date = VnDateField(_l("Your date of birth (to find you in the member register)"), validators=[Optional()],
                             render_kw={"autocomplete": "bday"})
    grassroots_union = StringField(_l("Your grassroots union (if you know it)"),
                                   validators=[Optional(), Length(max=255, message=TOO_LONG), plain_text])
    employer_name = StringField(_l("Your employer (company, factory)"),
                                validators=[InputRequired(message=REQUIRED), Length(max=255, message=TOO_LONG),
                                            plain_text])
    dispute_type = SelectField(_l("What is it about?"), validators=[InputRequired(message=REQUIRED)])
    need = RadioField(_l("What do you need?"), choices=choices([
        ("consultation", _l("Advice on my case")),
        ("litigation", _l("The union to represent me (conciliation, arbitration, court)")),
        ("general_question", _l("An answer to a general legal question"))]),
        validators=[InputRequired(message=REQUIRED)])
    breach_known_date = VnDateField(_l("Since when do you know about it? (if you remember)"),
                                    validators=[Optional()])
    facts = TextAreaField(_l("What happened?"), validators=[InputRequired(message=REQUIRED),
                                                            Length(min=10, max=10000, message=_l(
                                                                "Between 10 and 10,000 characters.")), plain_text],
                          render_kw={"rows": 6})
    wish = TextAreaField(_l("What would you like to obtain?"), validators=[
        InputRequired(message=REQUIRED), Length(max=3000, message=TOO_LONG), plain_text], render_kw={"rows": 3})
    contact = RadioField(_l("How should we contact you?"), choices=choices([
        ("phone", _l("By phone")), ("email", _l("By e-mail")), ("portal", _l("Only here, with my tracking code"))]),
        default="portal", validators=[InputRequired(message=REQUIRED)])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for way, field, message in (("phone", self.phone, _l("Give a phone number to be called.")),
                                    ("email", self.email, _l("Give an e-mail address to be written to."))):
            if self.contact.data == way and not (field.data or "").strip():
                field.errors = list(field.errors) + [str(message)]
                ok = False
        return ok


class LetterForm(PortalForm):
    letter_type = RadioField(_l("What kind of letter?"), choices=choices([
        ("complaint", _l("A complaint (khiếu nại): a decision or act of the union against my rights")),
        ("denunciation", _l("A denunciation (tố cáo): someone in the union broke the law or the rules")),
        ("petition", _l("A recommendation or report (kiến nghị, phản ánh)"))]),
        validators=[InputRequired(message=REQUIRED)])
    anonymous = BooleanField(_l("Send without my name and address"))
    #: the online letter's signature: the sender confirms it as theirs ([U]: whether this satisfies the
    #: signature the laws ask for, Luật Giao dịch điện tử 2023, is for the federation's lawyers to confirm)
    declaration = BooleanField(_l("I confirm that I send this letter and that what I write is true; this stands "
                                  "for my signature."))
    full_name = StringField(_l("Your full name"), validators=[Optional(), Length(max=200, message=TOO_LONG),
                                                             plain_name], render_kw={"autocomplete": "name"})
    id_number = StringField(_l("ID number (CCCD), if you wish"), validators=[Optional(), Regexp(
        r"^[0-9]{9}$|^[0-9]{12}$", message=_l("An ID number has 9 or 12 digits."))], render_kw={"inputmode": "numeric"})
    subject = StringField(_l("In a few words: what is it about? (no names of yours)"), validators=[
        InputRequired(message=REQUIRED), Length(max=200, message=TOO_LONG), plain_text])
    content = TextAreaField(_l("The letter: what happened, who did it, what you ask for"), validators=[
        InputRequired(message=REQUIRED), Length(min=10, max=10000, message=_l("Between 10 and 10,000 characters.")),
        plain_text], render_kw={"rows": 8})

    def validate(self, extra_validators=None) -> bool:
        """The checks across fields (run even when a field is left empty, which stops its own chain)."""
        ok = super().validate(extra_validators)
        named = self.letter_type.data in ("complaint", "denunciation") and not self.anonymous.data
        # Luật Khiếu nại 2011 Art. 8(2), Luật Tố cáo 2018 Art. 23(1): a complaint or a denunciation carries the
        # sender's name and address; an anonymous denunciation is only examined as information (Art. 25)
        if named and not (self.full_name.data or "").strip():
            self.full_name.errors = list(self.full_name.errors) + [str(_l(
                "A complaint or denunciation must carry your name (or tick “without my name” for a denunciation)."))]
            ok = False
        if named and not (self.address.data or "").strip():
            self.address.errors = list(self.address.errors) + [str(_l(
                "A complaint or denunciation must carry your address."))]
            ok = False
        if named and not self.declaration.data:
            self.declaration.errors = list(self.declaration.errors) + [str(_l("Please tick this box to send."))]
            ok = False
        if self.anonymous.data and self.letter_type.data == "complaint":
            self.anonymous.errors = list(self.anonymous.errors) + [str(_l(
                "A complaint cannot be anonymous: the answer is a decision addressed to you (Luật Khiếu nại 2011, "
                "Art. 8)."))]
            ok = False
        return ok


class LookupForm(LocalisedForm):
    code = StringField(_l("Your tracking code (16 digits)"), validators=[InputRequired(message=REQUIRED),
                                                                         Length(max=40, message=TOO_LONG)],
                       render_kw={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"})


class MessageForm(LocalisedForm):
    website = StringField(_l("Leave this empty"), validators=[Optional()], render_kw={"autocomplete": "off",
                                                                                      "tabindex": "-1"})
    body = TextAreaField(_l("Your message"), validators=[Optional(), Length(max=5000, message=TOO_LONG), plain_text],
                         render_kw={"rows": 4})
    file = FileField(_l("A paper or photo (PDF, JPG, PNG, DOCX; at most 10 MB)"))


class AnswerForm(FlaskForm):
    """The handler's answer, on the case page."""
    body = TextAreaField(_l("Answer to the sender"), validators=[InputRequired(message=_l("This field is required.")),
                                                                 Length(max=5000, message=TOO_LONG)],
                         render_kw={"rows": 3})
    expected_version = StringField()
