"""NL Design System styling for Django forms: every widget gets its ``utrecht-*`` classes."""

from django import forms

WIDGET_CLASSES = {
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
    forms.CheckboxSelectMultiple: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.SelectMultiple: "utrecht-select utrecht-select--html-select",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.FileInput: "",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.widgets.Input: "utrecht-textbox utrecht-textbox--html-input",
}


def widget_classes(widget: forms.Widget) -> str:
    """The NL Design System classes for a widget: those of its nearest known class."""
    for widget_class in type(widget).__mro__:
        if widget_class in WIDGET_CLASSES:
            return WIDGET_CLASSES[widget_class]
    return ""


def style_widgets(form: forms.BaseForm, *, aria_required: bool = False) -> None:
    """Add the classes to every widget of ``form`` (keeping classes it already has). With
    ``aria_required``, required fields say so with ``aria-required`` instead of the ``required``
    attribute (set ``use_required_attribute = False`` on the form), so that an empty field is
    not painted invalid before anything was sent; the server checks."""
    for field in form.fields.values():
        if aria_required and field.required:
            field.widget.attrs["aria-required"] = "true"
        classes = widget_classes(field.widget)
        if classes:
            existing = field.widget.attrs.get("class", "")
            if classes not in existing:
                field.widget.attrs["class"] = f"{existing} {classes}".strip()


class StyledForm(forms.Form):
    """A form with NL Design System widgets; required fields carry ``aria-required``."""

    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self, aria_required=True)
