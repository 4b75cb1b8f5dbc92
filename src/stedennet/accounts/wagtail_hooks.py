"""The accounts app in the back office: identity providers (OpenID Connect) and locked sign-ins."""
