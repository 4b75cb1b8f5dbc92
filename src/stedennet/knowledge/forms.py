"""Forms of the library and the questions. They check what a person typed; the rules that hold
whoever writes (visibility, allowed groups, file types) are in ``knowledge.services``, whose
refusals the views put back on the field they concern."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stedennet.governance.models import Body, BodyKind, Visibility
from stedennet.knowledge.models import ALLOWED_EXTENSIONS, MAX_FILE_BYTES, Answer, Question
from stedennet.knowledge.rich_text import RichTextarea, RichTextField
from stedennet.web.forms import StyledForm  # NL Design System widgets; required fields say so with aria-required
from stedennet.web.uploads import UploadRefused, accept_attribute, check_upload

MAX_FILES = 10
MAX_LINKS = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by type, content and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={
            "accept": accept_attribute()}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if len(uploads) > MAX_FILES:
            raise ValidationError(_("Attach at most %(count)s files.") % {"count": MAX_FILES})
        errors = []
        for upload in uploads:
            try:
                check_upload(upload)  # the platform's one upload check
            except UploadRefused as refused:
                errors.append(refused)  # with its code
        if errors:
            raise ValidationError(errors)
        return uploads


def _body_label(body: Body) -> str:
    return body.name


class BodyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Body) -> str:
        return _body_label(obj)


class LibraryItemForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(label=_("Summary"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    body = RichTextField(label=_("Text"), required=False, max_length=100_000, widget=RichTextarea(attrs={"rows": 10}))
    files = MultipleFileField(
        label=_("Files"), required=False,
        help_text=_("PDF or office documents (%(types)s), at most %(size)s MB each.") % {
            "types": ", ".join(ALLOWED_EXTENSIONS), "size": MAX_FILE_BYTES // (1024 * 1024)})
    links = forms.CharField(
        label=_("Links"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: the web address, optionally followed by a space and a title."))
    pillar = BodyChoiceField(label=_("Pillar"), required=False, queryset=Body.objects.none())
    theme_group = BodyChoiceField(label=_("Theme group"), required=False, queryset=Body.objects.none())
    # Checkboxes in a scrollable group with a filter box (``_checkbox_group.html``): no Ctrl-click.
    tagged_municipalities = forms.ModelMultipleChoiceField(
        label=_("About cities"), required=False, queryset=None,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}))
    topics = forms.CharField(label=_("Topics"), required=False, max_length=500,
                             help_text=_("Separate topics with commas."))
    visibility = forms.ChoiceField(label=_("Who may see it"), choices=Visibility.choices,
                                   initial=Visibility.MEMBERS)
    group = BodyChoiceField(label=_("Group"), required=False, queryset=Body.objects.none(),
                            help_text=_("Only when it is for one group: a group you belong to."))

    def __init__(self, *args, groups=None, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        live = Body.objects.filter(archived_at__isnull=True)
        self.fields["pillar"].queryset = live.filter(kind=BodyKind.PILLAR).order_by("order", "name")
        self.fields["theme_group"].queryset = live.filter(kind=BodyKind.THEME_GROUP).order_by("name")
        self.fields["group"].queryset = (groups if groups is not None else Body.objects.none()).order_by("name")
        self.fields["tagged_municipalities"].queryset = municipalities

    def clean_links(self) -> list[tuple[str, str]]:
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(lines) > MAX_LINKS:
            raise ValidationError(_("Add at most %(count)s links.") % {"count": MAX_LINKS})
        links, check = [], URLValidator(schemes=["http", "https"])
        for line in lines:
            url, _space, title = line.partition(" ")
            try:
                check(url)
            except ValidationError:
                raise ValidationError(_("%(url)s is not a valid web address (it starts with https://).")
                                      % {"url": url}) from None
            links.append((url, title.strip()))
        return links

    def clean_topics(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["topics"].split(",") if name.strip()]

    def clean(self):
        data = super().clean()
        if data.get("visibility") == Visibility.BODY and not data.get("group"):
            self.add_error("group", _("Choose the group that may see it."))
        pillar, theme_group = data.get("pillar"), data.get("theme_group")
        if pillar is not None and theme_group is not None and theme_group.parent_id != pillar.pk:
            self.add_error("theme_group", ValidationError(
                _("%(group)s is not a theme group of %(pillar)s: choose one of its theme groups, or another pillar.")
                % {"group": theme_group.name, "pillar": pillar.name}, code="theme_group_not_in_pillar"))
        return data


QUESTION_VISIBILITIES = [
    (Visibility.MEMBERS, Visibility.MEMBERS.label),
    (Visibility.MEMBERS_AND_PARTNERS, Visibility.MEMBERS_AND_PARTNERS.label),
    (Visibility.BODY, _("Only the theme group")),
]


class QuestionForm(StyledForm):
    title = forms.CharField(
        label=_("Your question"), max_length=Question._meta.get_field("title").max_length,
        help_text=_("At most %(count)s characters.") % {"count": Question._meta.get_field("title").max_length})
    body = RichTextField(label=_("Explanation"), required=False, max_length=Question._meta.get_field("body").max_length,
                         widget=RichTextarea(attrs={"rows": 6}))
    group = BodyChoiceField(label=_("Ask"), required=False, queryset=Body.objects.none(),
                            empty_label=_("All members"))
    visibility = forms.ChoiceField(label=_("Who may see it"), choices=QUESTION_VISIBILITIES,
                                   initial=Visibility.MEMBERS)

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups if groups is not None else Body.objects.none()
        # The similar-questions box follows what is typed (htmx, with data- attributes so the HTML
        # stays valid; without script nothing happens).
        self.fields["title"].widget.attrs.update({
            "autocomplete": "off",
            "data-hx-get": reverse("knowledge:question_similar"),
            "data-hx-trigger": "keyup changed delay:300ms",
            "data-hx-target": "#similar-questions",
            "data-hx-swap": "innerHTML",
        })

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError(_("Type your question."), code="required")
        return title

    def clean(self):
        data = super().clean()
        if data.get("visibility") == Visibility.BODY and not data.get("group"):
            self.add_error("group", _("A question only for a theme group needs that theme group."))
        return data


class AnswerForm(StyledForm):
    body = RichTextField(label=_("Your answer"), max_length=Answer._meta.get_field("body").max_length,
                         widget=RichTextarea(attrs={"rows": 6}),
                         error_messages={"required": _("Type your answer.")})


class ExpertSearchForm(StyledForm):
    q = forms.CharField(label=_("Who knows about"), required=False, max_length=200)
