"""The pillars' work programmes (goals, actions owned by theme groups, dated progress updates)
and the network's strategic agenda with its key messages. Until issue 10 these were governance
models; their tables were taken over as they were (see ``migrations/0001_initial``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from stedennet.governance.models import Body, BodyKind, Person
from stedennet.registry.models import Network


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class WorkProgramme(models.Model):
    wagtail_reference_index_ignore = True
    pillar = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="work_programmes",
                               limit_choices_to={"kind": BodyKind.PILLAR}, verbose_name=_("pillar"))
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    introduction = models.TextField(_("introduction"), blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("work programme")
        verbose_name_plural = _("work programmes")
        ordering = ["pillar", "-period_start"]

    def __str__(self) -> str:
        return self.title


class Goal(models.Model):
    programme = models.ForeignKey(WorkProgramme, on_delete=models.CASCADE, related_name="goals",
                                  verbose_name=_("work programme"))
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("goal"))

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["programme", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class Action(models.Model):
    wagtail_reference_index_ignore = True
    programme = models.ForeignKey(WorkProgramme, on_delete=models.CASCADE, related_name="actions",
                                  verbose_name=_("work programme"))
    goal = models.ForeignKey(Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions",
                             verbose_name=_("goal"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(Body, on_delete=models.PROTECT, null=True, blank=True, related_name="actions",
                              limit_choices_to={"kind": BodyKind.THEME_GROUP}, verbose_name=_("owning theme group"))
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    is_public = models.BooleanField(_("public"), default=False)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["programme", "pk"]

    def __str__(self) -> str:
        return self.title


class ProgressUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates", verbose_name=_("action"))
    date = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    status = models.CharField(_("status after"), max_length=10, choices=ActionStatus.choices)
    author = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("author"))

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["action", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.date}: {self.text[:60]}"


class StrategicAgenda(models.Model):
    wagtail_reference_index_ignore = True
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="strategic_agendas",
                                verbose_name=_("network"))
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    introduction = models.TextField(_("introduction"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    is_public = models.BooleanField(_("public"), default=True)

    class Meta:
        verbose_name = _("strategic agenda")
        verbose_name_plural = _("strategic agendas")
        ordering = ["-period_start"]

    def __str__(self) -> str:
        return self.title


class KeyMessage(models.Model):
    agenda = models.ForeignKey(StrategicAgenda, on_delete=models.CASCADE, related_name="key_messages",
                               verbose_name=_("strategic agenda"))
    pillar = models.ForeignKey(Body, on_delete=models.SET_NULL, null=True, blank=True, related_name="key_messages",
                               limit_choices_to={"kind": BodyKind.PILLAR}, verbose_name=_("pillar"))
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("key message"))

    class Meta:
        verbose_name = _("key message")
        verbose_name_plural = _("key messages")
        ordering = ["agenda", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"
