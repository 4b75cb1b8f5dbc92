"""Fixtures of the local OpenID Connect provider (scaffolding: filled in by the OIDC work)."""
