"""The letters hear of hard bounces from the mass mailing (``mail.signals.recipient_bounced``),
which knows nothing of them: the recipient's key ("address:12", "subscriber:5") names the
distribution address or subscriber on which the bounce is recorded. Keys of other callers'
mailings are not ours and are ignored. When a run has finished a letter's mailing
(``mail.signals.mailing_finished``), the letter becomes sent."""

from django.dispatch import receiver

from stedennet.letters.models import Letter
from stedennet.letters.services import address_bounced, letter_finish
from stedennet.mail.signals import mailing_finished, recipient_bounced


@receiver(recipient_bounced, dispatch_uid="letters_recipient_bounced")
def record_bounce(sender, mailing=None, recipient=None, **kwargs) -> None:
    if recipient is None:
        return
    error = kwargs.get("error") or getattr(recipient, "last_error", "") or ""
    address_bounced(key=recipient.key, error=str(error))


@receiver(mailing_finished, dispatch_uid="letters_mailing_finished")
def finish_letter(sender, mailing=None, **kwargs) -> None:
    letter = Letter.objects.filter(mailing=mailing).first() if mailing is not None else None
    if letter is not None:
        letter_finish(letter)
