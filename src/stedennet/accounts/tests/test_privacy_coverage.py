"""Every model that can hold data on a person (ours and every installed package's) is declared by
some app's ``privacy.py``: with what happens to it on erasure, or as not personal with a reason."""

from django.apps import apps
from django.conf import settings
from django.db import models

from stedennet.accounts import privacy

PERSON_MODELS = {settings.AUTH_USER_MODEL.lower(), "governance.person"}
PERSON_FIELD_NAMES = {"name", "first_name", "last_name", "username", "phone", "email"}


def person_fields(model: type[models.Model]) -> list[str]:
    """The fields of ``model`` itself (not inherited from a concrete parent) that point to a person
    or hold a name, an address or an IP address."""
    found = []
    for field in model._meta.get_fields():
        if not getattr(field, "concrete", False) or field.model is not model:
            continue
        related = field.related_model if field.is_relation else None
        points_to_person = related is not None and related._meta.label_lower in PERSON_MODELS
        holds_contact = isinstance(field, models.EmailField | models.GenericIPAddressField)
        if points_to_person or holds_contact or field.name in PERSON_FIELD_NAMES:
            found.append(field.name)
    return found


def test_every_model_with_a_person_field_is_declared():
    undeclared = [f"{model._meta.label} ({', '.join(fields)})" for model in apps.get_models()
                  if (fields := person_fields(model)) and privacy.holding_for(model) is None]
    assert undeclared == [], "declare these in an app's privacy.py: " + "; ".join(undeclared)


def test_the_check_finds_an_undeclared_model():
    class Stranger(models.Model):
        nickname = models.CharField(max_length=10)
        phone = models.CharField(max_length=20)

        class Meta:
            app_label = "accounts"
            managed = False

        def __str__(self) -> str:
            return self.nickname

    try:
        assert person_fields(Stranger) == ["phone"]
        assert privacy.holding_for(Stranger) is None
    finally:
        apps.all_models["accounts"].pop("stranger", None)
        apps.clear_cache()


def test_every_declaration_names_an_existing_model_and_says_what():
    for holding in privacy.holdings():
        assert holding.model_class is not None
        assert str(holding.what).strip(), holding.model
        assert holding.basis in privacy.BASES
        if holding.basis == privacy.ERASE:
            # Deleted by the holding itself, or with the account or the mail it belongs to.
            assert holding.erase is not None or holding.model in {"mail.DeliveryAttempt"}, holding.model


def test_apps_of_ours_each_have_a_privacy_module():
    ours = [config for config in apps.get_app_configs() if config.name.startswith("stedennet.")
            and config.label not in {"web", "audit", "api"}]
    missing = []
    for config in ours:
        try:
            __import__(f"{config.name}.privacy")
        except ModuleNotFoundError:
            missing.append(config.label)
    assert missing == []
