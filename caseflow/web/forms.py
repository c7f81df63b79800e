"""WTForms built from a transition's field definitions, with Vietnamese messages."""

from collections.abc import Callable

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from caseflow.core.clock import local_today
from caseflow.core.engine.definition import FieldDef
from caseflow.core.i18n import _, _l, label
from caseflow.web.dates import VnDateField

try:  # WTForms >= 3.3 deprecates (value, label) tuples (a warning is an error under the test settings)
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    SelectChoice = None


def choices(pairs) -> list:
    """Select options from (value, label) pairs, in the shape the installed WTForms expects."""
    return [SelectChoice(str(v), lab) if SelectChoice else (str(v), lab) for v, lab in pairs]


def required_message():
    return _l("This field is required.")


def wtforms_field(field: FieldDef, user_choices=None):
    """One WTForms field for a definition field."""
    text = label(field.label)
    validators = [InputRequired(message=required_message())] if field.required else [Optional()]
    if field.type == "text":
        return StringField(text, validators + [Length(max=field.max_length or 255,
                                                      message=_l("Too long."))])
    if field.type == "textarea":
        return TextAreaField(text, validators + [Length(max=field.max_length or 20000, message=_l("Too long."))])
    if field.type == "select":
        options = choices([("", "—")] + [(value, label(lab)) for value, lab in field.choices.items()])
        return SelectField(text, choices=options, validators=[DataRequired(message=required_message())]
                           if field.required else [Optional()], validate_choice=True)
    if field.type == "bool":
        return BooleanField(text)
    if field.type == "date":
        return VnDateField(text, validators)
    if field.type in ("int", "money"):
        return IntegerField(text, validators + [NumberRange(min=0, message=_l("Must not be negative."))])
    if field.type == "user":
        return SelectField(text, choices=choices([("", "—")] + list(user_choices or [])), coerce=str,
                           validators=[DataRequired(message=required_message())] if field.required else [Optional()])
    raise ValueError(field.type)


def localise_messages(form) -> None:
    """WTForms ships no Vietnamese: translate its built-in conversion errors."""
    for f in form:
        f.errors = [(_("Not a valid number.") if "integer" in str(e).lower() else
                     _("Not a valid date (YYYY-MM-DD).") if "date value" in str(e).lower() else
                     _("Not a valid choice.") if "choice" in str(e).lower() else e) for e in (f.errors or [])]


class TransitionFormBase(FlaskForm):
    comment = TextAreaField(_l("Comment / reason"), validators=[Optional(), Length(max=5000, message=_l("Too long."))])
    expected_version = HiddenField()

    def validate_and_localise(self) -> bool:
        ok = self.validate()
        if not ok:
            localise_messages(self)
        return ok


def transition_form(transition, user_choices=None, formdata=None, prefix=""):
    """A form class for `transition`, instantiated (formdata None means no submission yet)."""
    attrs = {f.name: wtforms_field(f, user_choices) for f in transition.fields}
    if transition.comment == "required":
        # checked by the form, so that the message stands at the field (the engine checks it again)
        attrs["comment"] = TextAreaField(_l("Comment / reason"), validators=[
            InputRequired(message=_l("Please give a reason.")), Length(max=5000, message=_l("Too long."))])
    cls = type(f"Form_{transition.trigger}", (TransitionFormBase,), attrs)
    return cls(formdata=formdata, prefix=prefix) if formdata is not None else cls(formdata=None, prefix=prefix)


def form_data(form, fields) -> dict:
    """The submitted values of the definition's fields, as the engine expects them."""
    return {f.name: form[f.name].data for f in fields}


def apply_engine_error(form, exc) -> list[str]:
    """Put an engine refusal on the form: field messages next to their fields; returns the page's messages.

    InvalidInput carries per-field messages, GuardFailed its reasons, any other refusal one message."""
    for name, message in (getattr(exc, "errors", None) or {}).items():
        if name in form:
            form[name].errors = list(form[name].errors or []) + [message]
    return list(getattr(exc, "reasons", None) or [exc.message])


RECEIVING_UNIT = _l("Receiving unit")


def intake_form_class(definition, name: str, *, unit_label=RECEIVING_UNIT,
                      before_date: Callable[[], dict] | None = None, after_date: Callable[[], dict] | None = None):
    """The intake form of a workflow: the unit and the date received, the page's own fields (built by the
    callables, so that they show where they are built: before or after the date), then the definition's
    intake fields."""
    required = _l("This field is required.")
    attrs = {"unit_id": SelectField(unit_label, coerce=str, validators=[InputRequired(message=required)])}
    attrs.update(before_date() if before_date else {})
    own = definition.extra.get("received_label")  # e.g. a founding is begun, not received
    attrs["received_date"] = VnDateField(label(own) if own else _l("Date received"),
                                         validators=[InputRequired(message=required)])
    attrs.update(after_date() if after_date else {})
    attrs.update({f.name: wtforms_field(f) for f in definition.intake_fields})
    return type(name, (TransitionFormBase,), attrs)


def intake_form(form_class, units, method: str):
    """An intake form offering `units`; a first display proposes today and the first unit."""
    form = form_class()
    form.unit_id.choices = choices((u.id, u.name) for u in units)
    if method == "GET":
        form.received_date.data = local_today()
        form.unit_id.data = str(units[0].id)
    return form
