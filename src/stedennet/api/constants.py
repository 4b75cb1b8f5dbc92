"""The API's version: in the path (major), in ``info.version`` and in every ``API-Version`` header."""

VERSION = "1.0.0"
