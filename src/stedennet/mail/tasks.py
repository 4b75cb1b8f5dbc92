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


@task()
def mailing_send_task(mailing_pk: int) -> dict:
    """One run of a mass mailing (``bulk.mailing_send``): what it did."""
    from stedennet.mail.bulk import mailing_send

    return mailing_send(mailing_pk)


@task()
def mailing_watch_task(mailing_pk: int) -> str:
    """The watch over a sending mailing (``bulk.mailing_watch``): a run when none holds the lease."""
    from stedennet.mail.bulk import mailing_watch

    return mailing_watch(mailing_pk)
