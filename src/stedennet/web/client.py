"""The client's address (scaffolding: the proxy rule is filled in by the lockout work)."""


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")
