"""The API's response rules for every path under /api/ (scaffolding: filled in by the API work)."""


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
