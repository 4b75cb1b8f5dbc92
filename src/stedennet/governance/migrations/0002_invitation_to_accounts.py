"""Invitations moved to ``accounts.Invitation`` (the person becomes its generic ``subject``): copy
every row over, then delete ``governance.Invitation``. Reversible: the rows come back."""

from django.db import migrations

ADMINISTRATOR_FUNCTIONS = {"mayor", "alderman"}


def _role(person) -> str:
    """``governance.invitations.account_role_for``, frozen for this migration."""
    if person.partner_id:
        return "Partner"
    if person.function in ADMINISTRATOR_FUNCTIONS:
        return "Bestuurder"
    if person.function == "civil_servant":
        return "Ambtenaar"
    return ""


def copy_to_accounts(apps, schema_editor):
    OldInvitation = apps.get_model("governance", "Invitation")
    NewInvitation = apps.get_model("accounts", "Invitation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    old_rows = list(OldInvitation.objects.using(db).select_related("person").order_by("pk"))
    if not old_rows:
        return
    person_type, _created = ContentType.objects.using(db).get_or_create(app_label="governance", model="person")
    for old in old_rows:
        person = old.person
        new = NewInvitation.objects.using(db).create(
            token_hash=old.token_hash, email=person.email, name=person.name, role=_role(person),
            expires_at=old.expires_at, used_at=old.used_at,
            user_id=person.user_id if old.used_at is not None else None,
            subject_type=person_type, subject_id=person.pk,
        )
        # created_at is auto_now_add: set it after the insert.
        NewInvitation.objects.using(db).filter(pk=new.pk).update(created_at=old.created_at)


def copy_back(apps, schema_editor):
    OldInvitation = apps.get_model("governance", "Invitation")
    NewInvitation = apps.get_model("accounts", "Invitation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    person_type = ContentType.objects.using(db).filter(app_label="governance", model="person").first()
    if person_type is None:
        return
    rows = NewInvitation.objects.using(db).filter(subject_type=person_type).order_by("pk")
    for new in rows:
        old = OldInvitation.objects.using(db).create(token_hash=new.token_hash, person_id=new.subject_id,
                                                     expires_at=new.expires_at, used_at=new.used_at)
        OldInvitation.objects.using(db).filter(pk=old.pk).update(created_at=new.created_at)
    rows.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("governance", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_to_accounts, copy_back),
        migrations.DeleteModel(name="Invitation"),
    ]
