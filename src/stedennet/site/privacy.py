"""What the site and its back office (Wagtail) hold on a person (see ``accounts.privacy``): pages,
documents and images a bureau member made or uploaded (they stay; the account is unlinked when it
goes), comments, subscriptions, editing sessions, the back-office profile and API tokens (they go
with the account), and the history: log entries and revisions that name the person lose the name
("Former member of …" takes its place)."""

import json

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry, PageLogEntry, Revision

from stedennet.accounts.privacy import (
    ORDER_ACCOUNT,
    ORDER_LOGS,
    WITH_ACCOUNT,
    apps,
    holding_register,
    not_personal,
    records,
)

for label, reason in [
    ("wagtailcore.Collection", _("Collections of documents and images: a name per collection.")),
    ("wagtailcore.Workflow", _("Publishing workflows: a name per workflow.")),
    ("wagtailcore.Task", _("Workflow tasks: a name per task.")),
    ("wagtailcore.GroupApprovalTask", _("Workflow tasks: a name per task.")),
    ("taggit.Tag", _("Tags: a name per tag.")),
]:
    not_personal(label, reason)


def _by_user(label, user_field, fields):
    def export_rows(subject):
        if subject.user_id is None:
            return []
        return records(apps.get_model(label).objects.filter(**{user_field: subject.user_id}), fields)

    return export_rows


def _replace_name(value, subject):
    if isinstance(value, str):
        return value.replace(subject.name, subject.display)
    return json.loads(json.dumps(value).replace(json.dumps(subject.name)[1:-1], json.dumps(subject.display)[1:-1]))


def _log_erase(model):
    def erase_rows(subject, by) -> int:
        if len(subject.name) < 3:
            return 0
        changed = 0
        for entry in model.objects.filter(Q(label__contains=subject.name) | Q(data__icontains=subject.name)):
            entry.label = _replace_name(entry.label, subject)[:255]
            entry.data = _replace_name(entry.data, subject)
            model.objects.filter(pk=entry.pk).update(label=entry.label, data=entry.data)
            changed += 1
        return changed

    return erase_rows


def _revisions_erase(subject, by) -> int:
    if len(subject.name) < 3:
        return 0
    changed = 0
    for revision in Revision.objects.filter(object_str__contains=subject.name):
        Revision.objects.filter(pk=revision.pk).update(object_str=_replace_name(revision.object_str, subject)[:255])
        changed += 1
    return changed


def _profile_erase(subject, by) -> int:
    from wagtail.users.models import UserProfile

    if subject.user_id is None:
        return 0
    profile = UserProfile.objects.filter(user_id=subject.user_id).first()
    if profile is None:
        return 0
    if profile.avatar:
        profile.avatar.delete(save=False)  # the file; the row goes with the account
    return 1


holding_register(
    "wagtailcore.Page", basis=WITH_ACCOUNT,
    export=_by_user("wagtailcore.Page", "owner_id", ["title", "url_path", "first_published_at"]),
    what=_("Pages of the site you made: they stay; you are no longer named as their owner once your account "
           "goes."))
holding_register(
    ModelLogEntry, basis=WITH_ACCOUNT, order=ORDER_LOGS, erase=_log_erase(ModelLogEntry),
    export=_by_user("wagtailcore.ModelLogEntry", "user_id", ["timestamp", "action", "label"]),
    what=_("The back office's history of changes: what you changed stays without your account; entries that "
           "named you no longer do."))
holding_register(
    PageLogEntry, basis=WITH_ACCOUNT, order=ORDER_LOGS, erase=_log_erase(PageLogEntry),
    export=_by_user("wagtailcore.PageLogEntry", "user_id", ["timestamp", "action", "label"]),
    what=_("The history of changes to pages: what you changed stays without your account; entries that named "
           "you no longer do."))
holding_register(
    Revision, basis=WITH_ACCOUNT, order=ORDER_LOGS, erase=_revisions_erase,
    export=_by_user("wagtailcore.Revision", "user_id", ["created_at", "object_str"]),
    what=_("Saved versions of pages and snippets you edited: they stay without your account; titles that named "
           "you no longer do."))
holding_register(
    "wagtailusers.UserProfile", basis=WITH_ACCOUNT, order=ORDER_ACCOUNT - 1, erase=_profile_erase,
    export=_by_user("wagtailusers.UserProfile", "user_id", ["preferred_language", "current_time_zone"]),
    what=_("Your back-office preferences and picture (deleted with the account)."))
holding_register(
    "wagtailcore.APIToken", basis=WITH_ACCOUNT,
    export=_by_user("wagtailcore.APIToken", "user_id", ["name", "prefix", "created", "last_used_at", "revoked_at"]),
    what=_("Your API tokens: name, start of the key, when made and last used (deleted with the account)."))
for label, field, fields, what in [
    ("wagtaildocs.Document", "uploaded_by_user_id", ["title", "created_at"],
     _("Documents you uploaded: they stay; you are no longer named once your account goes.")),
    ("wagtailimages.Image", "uploaded_by_user_id", ["title", "created_at"],
     _("Images you uploaded: they stay; you are no longer named once your account goes.")),
    ("wagtailcore.UploadedFile", "uploaded_by_user_id", ["file", "created_at"],
     _("Files you uploaded and have not used yet.")),
    ("wagtailcore.WorkflowState", "requested_by_id", ["status", "created_at"],
     _("Publishing workflows you started.")),
    ("wagtailcore.TaskState", "finished_by_id", ["status", "finished_at"],
     _("Workflow tasks you finished.")),
    ("wagtailcore.Comment", "user_id", ["text", "created_at"],
     _("Comments on pages in the back office (deleted with the account).")),
    ("wagtailcore.CommentReply", "user_id", ["text", "created_at"],
     _("Replies to comments in the back office (deleted with the account).")),
    ("wagtailcore.PageSubscription", "user_id", ["page", "comment_notifications"],
     _("Pages whose comments you follow (deleted with the account).")),
    ("wagtailadmin.EditingSession", "user_id", ["last_seen_at"],
     _("When you last had something open in the back office (deleted with the account).")),
    ("wagtailadmin.FormState", "user_id", ["last_updated_at"],
     _("Unsaved back-office forms (deleted with the account).")),
]:
    holding_register(label, basis=WITH_ACCOUNT, export=_by_user(label, field, fields), what=what)
