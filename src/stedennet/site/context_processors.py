from stedennet.registry.selectors import network_current


def network(request) -> dict:
    """The network's name for the header and title of every public page."""
    if request.path.startswith(("/admin/", "/django-admin/")):
        return {}
    return {"network": network_current()}
