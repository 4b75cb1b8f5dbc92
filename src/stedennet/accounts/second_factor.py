"""The second factor for the back office (scaffolding: enforcement is filled in by the 2FA work)."""


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
