"""One refusal base for every domain app, and one way to put a refusal on a form."""

from django import forms

from stedennet.web.forms import StyledForm, style_widgets
from stedennet.web.refusals import Refused, add_refusal


class MeetingForm(forms.Form):
    title = forms.CharField()
    end_time = forms.TimeField(required=False)
    files = forms.FileField(required=False)


def bound():
    form = MeetingForm(data={"title": "Bestuur"})
    assert form.is_valid()
    return form


def test_a_refusal_carries_code_field_and_message():
    refused = Refused("Te laat", "too_late", field="end_time")
    assert (refused.code, refused.field, str(refused), refused.codes) == (
        "too_late", "end_time", "Te laat", ["too_late"]
    )
    several = Refused([Refused("a", "first"), Refused("b", "second")])
    assert several.codes == ["first", "second"]
    assert several.messages == ["a", "b"]


def test_a_refusal_lands_on_the_field_it_names():
    form = bound()
    add_refusal(form, Refused("Eindtijd voor begintijd", "ends_before_start", field="end_time"))
    assert form.errors == {"end_time": ["Eindtijd voor begintijd"]}
    assert form.errors.as_data()["end_time"][0].code == "ends_before_start"


def test_service_names_and_codes_are_mapped_to_the_form():
    form = bound()
    add_refusal(form, Refused({"ends_at": ["Te laat"], "unknown": ["Weg"]}), fields={"ends_at": "end_time"})
    assert form.errors == {"end_time": ["Te laat"], "__all__": ["Weg"]}

    form = bound()
    add_refusal(form, Refused("Geen pdf", "type_not_allowed"), fields={"type_not_allowed": "files"})
    assert form.errors == {"files": ["Geen pdf"]}


def test_a_refusal_without_a_field_of_the_form_goes_to_the_fallback_or_the_form():
    form = bound()
    add_refusal(form, Refused("Gesloten", "closed", field="not_on_this_form"), "title")
    assert form.errors == {"title": ["Gesloten"]}
    form = bound()
    add_refusal(form, Refused("Gesloten", "closed"))
    assert form.errors == {"__all__": ["Gesloten"]}


def test_nl_design_system_classes_on_every_widget():
    class Styled(StyledForm):
        name = forms.CharField()
        note = forms.CharField(widget=forms.Textarea, required=False)
        kind = forms.ChoiceField(choices=[("a", "A")])

    form = Styled()
    assert "utrecht-textbox" in form.fields["name"].widget.attrs["class"]
    assert form.fields["name"].widget.attrs["aria-required"] == "true"
    assert "aria-required" not in form.fields["note"].widget.attrs
    assert "utrecht-textarea" in form.fields["note"].widget.attrs["class"]
    assert "utrecht-select" in form.fields["kind"].widget.attrs["class"]
    assert " required" not in str(form["name"])

    plain = MeetingForm()
    style_widgets(plain)
    style_widgets(plain)  # twice: the classes are not repeated
    assert plain.fields["title"].widget.attrs["class"] == "utrecht-textbox utrecht-textbox--html-input"
