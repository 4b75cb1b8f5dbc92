"""Settings for the test suite: the production settings with fast hashing and plain static
file storage (the live test server serves static files from the finders)."""

import os

os.environ.setdefault("STEDENNET_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("STEDENNET_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("STEDENNET_SECURE_COOKIES", "false")

from stedennet.conf.settings import *  # noqa: F403
from stedennet.conf.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Mail goes through the outbox as in production; the outbox delivers to Django's test outbox.
EMAIL_BACKEND = "stedennet.mail.backends.OutboxBackend"
STEDENNET_MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The live test server has no collected static files: whitenoise serves them straight from the
# finders, so the browser tests see the real NL Design System styles (contrast checks need them).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
