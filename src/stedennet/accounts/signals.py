"""Signals of the accounts app, for higher apps to hook in without this app knowing them."""

from django.dispatch import Signal

# Sent by ``services.invitation_accept`` inside its transaction, once the account exists and the
# invitation is marked used: ``invitation`` (``models.Invitation``) and ``user`` (the new account).
# A receiver that raises undoes the whole acceptance.
invitation_accepted = Signal()
