"""The audit trail on SQLite, where django-pgtrigger installs no triggers.

Signal receivers write the same event rows as the PostgreSQL triggers, through the ORM and in
the same transaction as the change, with the context of ``web.audit``: an insert on ``post_save``
of a new row (and on ``m2m_changed`` ``post_add``, as ``add()`` on a many-to-many relation inserts
without ``save()``), an update on ``post_save`` when a tracked field changed (compared with the
row as ``pre_save`` read it), a delete on ``post_delete``. Links of many-to-many relations (an
account's groups, a group's permissions) send no save or delete signals: see ``_links``.

Limitation: what bypasses the model signals is **not** recorded on SQLite: ``QuerySet.update()``,
``bulk_create()``, ``bulk_update()``, ``QuerySet._raw_delete`` and raw SQL. On PostgreSQL, which
production runs, the triggers catch these too (the test of a bulk update runs there only).
"""

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from stedennet.audit.tracking import TRACKED, Tracked
from stedennet.web.audit import current_context, current_context_id, is_paused

_OLD = "_stedennet_audit_old"


def _snapshot(tracked: Tracked, instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in tracked.fields}


def _normalised(tracked: Tracked, values: dict) -> dict:
    """Values as the database gives them back (a date for "2025-01-01", an int for "12")."""
    fields = {f.attname: f for f in tracked.fields}
    return {name: fields[name].to_python(value) if value is not None else None for name, value in values.items()}


def _write(tracked: Tracked, label: str, values: dict, pk) -> None:
    tracked.event_model._default_manager.create(
        pgh_label=label, pgh_obj_id=pk, pgh_context=current_context(), pgh_context_id=current_context_id(), **values)


def _receivers(tracked: Tracked) -> dict:
    names = {f.attname for f in tracked.fields} | {f.name for f in tracked.fields}

    def before_save(sender, instance, raw=False, update_fields=None, **kwargs):
        if is_paused() or instance._state.adding or instance.pk is None:
            return
        if update_fields is not None and not (set(update_fields) & names):
            setattr(instance, _OLD, None)  # nothing tracked changes
            return
        old = sender._base_manager.using(instance._state.db or "default").filter(pk=instance.pk)
        setattr(instance, _OLD, old.values(*[f.attname for f in tracked.fields]).first() or {})

    def after_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
        if is_paused():
            return
        old = instance.__dict__.pop(_OLD, {})
        values = _snapshot(tracked, instance)
        if created or old == {}:
            _write(tracked, "insert", values, instance.pk)
        elif old is not None and _normalised(tracked, values) != _normalised(tracked, old):
            _write(tracked, "update", values, instance.pk)

    def after_delete(sender, instance, **kwargs):
        if not is_paused():
            _write(tracked, "delete", _snapshot(tracked, instance), instance.pk)

    return {"pre": before_save, "post": after_save, "delete": after_delete}


def _links(tracked: Tracked):
    """Many-to-many links (a through table Django made) send no save or delete signals: ``add()``
    inserts in bulk and ``remove()``, ``clear()`` and deleting either side delete in bulk. Record
    each link added (``post_add``), and each about to go (``pre_remove``, ``pre_clear``,
    ``pre_delete`` of the objects on either side)."""
    through = tracked.model
    keys = [f for f in through._meta.concrete_fields if isinstance(f, models.ForeignKey)]

    def write(label: str, rows) -> None:
        for row in rows:
            _write(tracked, label, _snapshot(tracked, row), row.pk)

    def changed(sender, instance, action, reverse, model, pk_set, **kwargs):
        if is_paused() or action not in ("post_add", "pre_remove", "pre_clear"):
            return
        own = next(f for f in keys if isinstance(instance, f.related_model))
        other = next(f for f in keys if f is not own)
        rows = through._base_manager.using(instance._state.db or "default").filter(**{own.attname: instance.pk})
        if action != "pre_clear":
            if not pk_set:
                return
            rows = rows.filter(**{f"{other.attname}__in": pk_set})
        write("insert" if action == "post_add" else "delete", rows)

    def side_deleted(key):
        def deleting(sender, instance, **kwargs):
            if not is_paused():
                write("delete", through._base_manager.using(instance._state.db or "default")
                      .filter(**{key.attname: instance.pk}))
        return deleting

    return changed, [(key.related_model, side_deleted(key)) for key in keys]


_CONNECTED: list = []  # strong references: the receivers are closures


def connect() -> None:
    """Connect the receivers for every tracked model (called on SQLite only, by the app config)."""
    if _CONNECTED:
        return
    for tracked in TRACKED:
        model = tracked.model
        uid = f"stedennet.audit:{tracked.kind}"
        if model._meta.auto_created:  # a many-to-many through table: no save or delete signals
            changed, sides = _links(tracked)
            m2m_changed.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:m2m")
            for side, deleting in sides:
                pre_delete.connect(deleting, sender=side, weak=False, dispatch_uid=f"{uid}:{side._meta.label_lower}")
            _CONNECTED.append((changed, sides))
            continue
        receivers = _receivers(tracked)
        pre_save.connect(receivers["pre"], sender=model, weak=False, dispatch_uid=f"{uid}:pre")
        post_save.connect(receivers["post"], sender=model, weak=False, dispatch_uid=f"{uid}:post")
        post_delete.connect(receivers["delete"], sender=model, weak=False, dispatch_uid=f"{uid}:delete")
        _CONNECTED.append(receivers)
