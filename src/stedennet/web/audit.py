"""Who changed what: the context of every history event (scaffolding: filled in by the audit work)."""


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
