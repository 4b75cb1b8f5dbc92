"""Matching after each page the mirror applied (``parliament.signals.entities_applied``)."""

from django.dispatch import receiver

from stedennet.parliament.signals import entities_applied


@receiver(entities_applied, dispatch_uid="advocacy-match-applied")
def match_applied(sender, *, category: str, guids, deleted=(), **kwargs) -> None:
    from stedennet.advocacy.matching import match_entities

    match_entities(category=category, guids=guids, deleted=deleted)
