"""The member letter in the back office (menu group "Member letters"), for the network bureau:
letters, distribution addresses and subscribers as snippet listings, and the letter's own pages
(``admin_views``: new from the draft, previews, test send, send, progress, withdraw).

Everything about a letter goes through the services, so their rules and audit entries hold here:
- the listing's "add" opens the new-letter page: ``letter_draft_create`` numbers and composes
  the draft, then its edit page opens;
- a draft's title and text are edited (Wagtail's rich-text editor) and saved by ``letter_update``;
  a letter that went out or was withdrawn is not edited (its edit address shows the preview);
- letters are kept (no delete view); a draft is withdrawn instead.
Distribution addresses are added, edited and deleted with Wagtail's own views (its audit trail);
a subscriber added here gets the confirmation mail (``subscriber_subscribe``), and is stopped on
its own page (``subscriber_unsubscribe``).
"""

from django import forms
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView, SnippetViewSet, SnippetViewSetGroup

from stedennet.accounts.backoffice import (
    ALL_ACTIONS,
    BureauPolicy,
    LinkColumn,
    PlainForm,
    PlainListing,
    PolicyChecked,
    RefusalShown,
    bureau_only,
    demo_column,
    yes_no_column,
)
from stedennet.letters import admin_views, services
from stedennet.letters.constants import (
    LOG_BOUNCED,
    LOG_CREATED,
    LOG_FINISHED,
    LOG_SENT,
    LOG_TEST_SENT,
    LOG_WITHDRAWN,
    LetterStatus,
    SubscriberStatus,
)
from stedennet.letters.models import BODY_FEATURES, DistributionAddress, Letter, Subscriber

KEEP = frozenset({"add", "change", "view"})

register_permission_policy(Letter, BureauPolicy(Letter, actions=KEEP))
register_permission_policy(DistributionAddress, BureauPolicy(DistributionAddress, actions=ALL_ACTIONS))
register_permission_policy(Subscriber, BureauPolicy(Subscriber, actions=KEEP))


# --- letters ---------------------------------------------------------------------------------

class LetterIndexView(PlainListing, PolicyChecked, IndexView):
    pass


class LetterEditView(RefusalShown, PlainForm, PolicyChecked, EditView):
    """A draft's title and text, saved by ``services.letter_update``; other letters show their preview."""

    refused_field = "title"

    def dispatch(self, request, *args, **kwargs):
        letter = Letter.objects.filter(pk=kwargs.get("pk")).only("pk", "status").first()
        if letter is not None and letter.status != LetterStatus.DRAFT:
            return redirect(admin_views.preview_url(letter))
        return super().dispatch(request, *args, **kwargs)

    def save_instance(self):
        data = self.form.cleaned_data
        return services.letter_update(self.form.instance, title=data["title"], body=data["body"],
                                      by=self.request.user)

    def get_success_url(self):
        return admin_views.preview_url(self.object)

    def get_page_subtitle(self):
        return self.object.reference

    def extra_header_buttons(self):
        letter = self.object
        return [(gettext("Preview as mail"), admin_views.preview_url(letter), "mail"),
                (gettext("Preview as web page"), admin_views.web_preview_url(letter), "view"),
                (gettext("Send"), admin_views.send_url(letter), "mail"),
                (gettext("Withdraw"), admin_views.withdraw_url(letter), "bin")]


class LabelledEditor(DraftailRichTextArea):
    """Wagtail's rich-text editor whose text box is named by the field's label (``ariaLabelledBy``;
    Wagtail leaves it without a name), keeping its value in a hidden textarea that the label may
    point at (a label for an input of type hidden is not valid HTML)."""

    template_name = "letters/admin/widgets/editor.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.options["ariaLabelledBy"] = "id_body-label"


def body_editor() -> LabelledEditor:
    return LabelledEditor(features=BODY_FEATURES)


LETTER_PANELS = [
    HelpPanel(content=_("The number is fixed; the text was composed from what happened since the previous letter. "
                        "Save, then preview the letter as mail and as web page, send yourself a test, and send it.")),
    FieldPanel("title"),
    FieldPanel("body", widget=body_editor()),
]


class LetterViewSet(SnippetViewSet):
    model = Letter
    icon = "mail"
    menu_label = _("Letters")
    menu_order = 1
    index_view_class = LetterIndexView
    edit_view_class = LetterEditView
    copy_view_enabled = False
    list_display = [
        Column("reference", label=_("Number")),
        "title", "status",
        Column("sent_at", label=_("Sent"), accessor=lambda letter: letter.sent_at.date() if letter.sent_at else ""),
        LinkColumn("preview_link", label=_("Preview"), text=_("Preview as mail"), url=admin_views.preview_url),
        LinkColumn("send_link", label=_("Send"), text=_("Send"), url=lambda letter: (
            admin_views.send_url(letter) if letter.status == LetterStatus.DRAFT else "")),
        LinkColumn("progress_link", label=_("Progress"), text=_("Sending progress"), url=lambda letter: (
            admin_views.progress_url(letter) if letter.is_published else "")),
        demo_column(),
    ]
    search_fields = ["title"]
    search_backend_name = None
    ordering = ["-year", "-number"]
    list_per_page = 50
    edit_handler = ObjectList(LETTER_PANELS)

    def get_queryset(self, request):
        return Letter.objects.order_by("-year", "-number")

    @cached_property
    def add_view(self):
        return bureau_only(admin_views.LetterNewView.as_view())

    @cached_property
    def delete_view(self):
        from stedennet.accounts.backoffice import not_here

        return not_here


# --- distribution addresses ----------------------------------------------------------------

def by_municipality(queryset, request):
    municipality = request.GET.get("municipality", "")
    return queryset.filter(municipality_id=int(municipality)) if municipality.isdigit() else queryset


class AddressIndexView(PlainListing, PolicyChecked, IndexView):
    pass


class AddressCreateView(PlainForm, PolicyChecked, CreateView):
    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance() or DistributionAddress()
        municipality = self.request.GET.get("municipality", "")
        if municipality.isdigit():
            instance.municipality_id = int(municipality)
        return instance


class AddressEditView(PlainForm, PolicyChecked, EditView):
    pass


class AddressViewSet(SnippetViewSet):
    model = DistributionAddress
    icon = "group"
    menu_label = _("Distribution addresses")
    menu_order = 2
    index_view_class = AddressIndexView
    add_view_class = AddressCreateView
    edit_view_class = AddressEditView
    copy_view_enabled = False
    list_display = [
        "email", "municipality", "role", "name",
        yes_no_column("is_active", _("Active")),
        Column("bounced_at", label=_("Bounced"), accessor=lambda a: a.bounced_at.date() if a.bounced_at else ""),
        demo_column(),
    ]
    search_fields = ["email", "name"]
    search_backend_name = None
    ordering = ["municipality__name", "role", "email"]
    list_per_page = 100
    edit_handler = ObjectList([
        HelpPanel(content=_("The member letter goes to every active address of a member that has not bounced; the "
                            "send step names the members without a griffie or college address.")),
        FieldPanel("municipality", widget=forms.Select), FieldPanel("role"), FieldPanel("name"), FieldPanel("email"),
        FieldPanel("is_active"), FieldPanel("note"), FieldPanel("bounced_at"), FieldPanel("bounce_reason"),
        FieldPanel("is_demo"),
    ])

    def get_queryset(self, request):
        return by_municipality(DistributionAddress.objects.select_related("municipality"), request)


# --- subscribers ------------------------------------------------------------------------------

class SubscriberIndexView(PlainListing, PolicyChecked, IndexView):
    pass


class SubscriberCreateView(RefusalShown, PlainForm, PolicyChecked, CreateView):
    """A subscriber added by the bureau confirms too: ``subscriber_subscribe`` mails the link."""

    refused_field = "email"

    def save_instance(self):
        data = self.form.cleaned_data
        return services.subscriber_subscribe(email=data["email"], name=data.get("name", ""))


class SubscriberEditView(PlainForm, PolicyChecked, EditView):
    def extra_header_buttons(self):
        if self.object.status == SubscriberStatus.UNSUBSCRIBED:
            return []
        return [(gettext("Stop the member letter"), unsubscribe_url(self.object), "cross")]


def unsubscribe_url(subscriber: Subscriber) -> str:
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return ""
    return reverse("letters_subscriber_unsubscribe", args=[subscriber.pk])


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "user"
    menu_label = _("Subscribers")
    menu_order = 3
    index_view_class = SubscriberIndexView
    add_view_class = SubscriberCreateView
    edit_view_class = SubscriberEditView
    copy_view_enabled = False
    list_display = [
        "email", "name", "status",
        Column("confirmed_at", label=_("Confirmed"),
               accessor=lambda s: s.confirmed_at.date() if s.confirmed_at else ""),
        Column("bounced_at", label=_("Bounced"), accessor=lambda s: s.bounced_at.date() if s.bounced_at else ""),
        LinkColumn("unsubscribe", label=_("Stop"), text=_("Stop the member letter"), url=unsubscribe_url),
        demo_column(),
    ]
    search_fields = ["email", "name"]
    search_backend_name = None
    ordering = ["email"]
    list_per_page = 100
    edit_handler = ObjectList([
        HelpPanel(content=_("A subscriber added here receives a mail with a confirmation link, and receives the "
                            "letter only after confirming it.")),
        FieldPanel("email"), FieldPanel("name"),
    ])

    @cached_property
    def _subscriber_edit_handler(self):
        return ObjectList([FieldPanel("name"), FieldPanel("bounced_at"), FieldPanel("bounce_reason")]
                          ).bind_to_model(Subscriber)

    def get_edit_view_kwargs(self, **kwargs):
        handler = self._subscriber_edit_handler
        return super().get_edit_view_kwargs(**{"panel": handler, "form_class": handler.get_form_class(), **kwargs})

    @cached_property
    def delete_view(self):
        from stedennet.accounts.backoffice import not_here

        return not_here


class LettersGroup(SnippetViewSetGroup):
    menu_label = _("Member letters")
    menu_icon = "mail"
    menu_order = 255
    items = (LetterViewSet, AddressViewSet, SubscriberViewSet)


register_snippet(LettersGroup)


@hooks.register("register_admin_urls")
def register_letters_urls():
    return [
        path("letters/<int:pk>/preview/", bureau_only(admin_views.LetterPreviewView.as_view()),
             name="letters_preview"),
        path("letters/<int:pk>/preview/mail/", bureau_only(admin_views.letter_preview_html),
             name="letters_preview_html"),
        path("letters/<int:pk>/preview/web/", bureau_only(admin_views.letter_preview_web), name="letters_preview_web"),
        path("letters/<int:pk>/test/", bureau_only(require_POST(admin_views.letter_test_send)),
             name="letters_test_send"),
        path("letters/<int:pk>/send/", bureau_only(admin_views.LetterSendView.as_view()), name="letters_send"),
        path("letters/<int:pk>/progress/", bureau_only(admin_views.LetterProgressView.as_view()),
             name="letters_progress"),
        path("letters/<int:pk>/progress/fragment/", bureau_only(admin_views.letter_progress_fragment),
             name="letters_progress_fragment"),
        path("letters/<int:pk>/withdraw/", bureau_only(admin_views.LetterWithdrawView.as_view()),
             name="letters_withdraw"),
        path("letters/subscribers/<int:pk>/stop/", bureau_only(admin_views.SubscriberUnsubscribeView.as_view()),
             name="letters_subscriber_unsubscribe"),
    ]


@hooks.register("register_log_actions")
def register_letters_log_actions(actions):
    actions.register_action(LOG_CREATED, _("Letter created"), _("A numbered member letter was created"))
    actions.register_action(LOG_TEST_SENT, _("Test sent"), _("A test of the member letter was sent"))
    actions.register_action(LOG_SENT, _("Letter sent"), _("The member letter was sent to its recipients"))
    actions.register_action(LOG_FINISHED, _("Letter delivered"), _("Every recipient of the member letter was handled"))
    actions.register_action(LOG_WITHDRAWN, _("Letter withdrawn"), _("The draft was withdrawn; it keeps its number"))
    actions.register_action(LOG_BOUNCED, _("Bounced"), _("A mail to this address bounced for good"))
