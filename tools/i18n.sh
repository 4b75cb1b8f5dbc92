#!/bin/sh
# Refresh the message catalogues: extract, fill Dutch from tools/translations_nl*.py, compile.
set -e
cd "$(dirname "$0")/../src/stedennet"
export STEDENNET_SECRET_KEY="${STEDENNET_SECRET_KEY:-i18n}" STEDENNET_ALLOWED_HOSTS=127.0.0.1 STEDENNET_SECURE_COOKIES=false
../../.venv/bin/stedennet makemessages -l nl -l en --ignore 'tests/*' --ignore '*/tests/*' --no-obsolete
../../.venv/bin/python ../../tools/translate.py
../../.venv/bin/stedennet compilemessages
