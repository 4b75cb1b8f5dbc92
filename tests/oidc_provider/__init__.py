"""A local OpenID Connect provider (Entra-shaped) that the tests start as a process of its own."""
