"""Every existing user with an e-mail address gets allauth's record of it, confirmed and primary:
they came through an invitation mail (or were made by the bureau), and with mandatory
confirmation an unrecorded address could neither sign in by e-mail nor be changed."""

from django.conf import settings
from django.db import migrations


def record_addresses(apps, schema_editor):
    user_model = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    email_address = apps.get_model("account", "EmailAddress")
    taken = {email.casefold() for email in email_address.objects.values_list("email", flat=True)}
    recorded = set(email_address.objects.values_list("user_id", flat=True))
    rows = []
    for user_id, email in user_model.objects.exclude(email="").order_by("pk").values_list("pk", "email"):
        if user_id in recorded or email.casefold() in taken:
            continue  # one address belongs to one account (ACCOUNT_UNIQUE_EMAIL)
        taken.add(email.casefold())
        rows.append(email_address(user_id=user_id, email=email, verified=True, primary=True))
    email_address.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_identity_provider_erasure"),
        ("account", "0009_emailaddress_unique_primary_email"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(record_addresses, migrations.RunPython.noop)]
