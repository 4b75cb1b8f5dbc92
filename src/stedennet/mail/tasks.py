"""Background tasks of the outbox (django-tasks): one delivery attempt per task."""

from django_tasks import task


@task()
def mail_deliver_task(mail_pk: int) -> str:
    """Try to deliver one stored mail if it is due; its status afterwards (or "skipped")."""
    from stedennet.mail.services import mail_deliver

    return mail_deliver(mail_pk)


@task()
def mail_retry_due_task() -> dict[str, int]:
    """Deliver every mail that is due (what ``stedennet mail-retry`` does)."""
    from stedennet.mail.services import mail_retry_due

    return mail_retry_due()
