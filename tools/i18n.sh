#!/bin/sh
# Refresh the message catalogue after changing interface text: extract into
# src/stedennet/locale/nl/LC_MESSAGES/django.po (the source of the Dutch text: edit it by hand, in
# Poedit or in Weblate), then compile. New texts arrive without Dutch; tests/test_translations.py
# fails until they have it. English is the source language and needs no catalogue.
set -e
cd "$(dirname "$0")/../src/stedennet"
export STEDENNET_SECRET_KEY="${STEDENNET_SECRET_KEY:-i18n}" STEDENNET_ALLOWED_HOSTS=127.0.0.1 STEDENNET_SECURE_COOKIES=false
../../.venv/bin/stedennet makemessages -l nl --ignore 'tests/*' --ignore '*/tests/*' --no-obsolete
../../.venv/bin/stedennet compilemessages -l nl
