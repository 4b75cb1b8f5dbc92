
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from stedennet.registry import theme
from stedennet.registry.selectors import network_current, network_or_404, partners_of
from stedennet.web.access import public


@public
@require_GET
def partner_list(request: HttpRequest) -> HttpResponse:
    network = network_or_404()
    return render(request, "registry/partner_list.html", {"partners": list(partners_of(network=network))})


# --- the network's look: theme tokens, favicon, logo ----------------------------------------


def _asset(request: HttpRequest, content, content_type: str, fingerprint: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["ETag"] = f'"{fingerprint}"'
    response["X-Content-Type-Options"] = "nosniff"
    if request.GET.get("v") == fingerprint:
        patch_cache_control(response, public=True, max_age=31_536_000, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=300)
    return response


@public
@require_GET
def theme_css(request: HttpRequest) -> HttpResponse:
    """The network's design tokens (``/thema.css``): its colour over the base NL Design System theme."""
    network = network_current()
    css = theme.theme_css(network.primary_colour if network else None)
    return _asset(request, css, "text/css; charset=utf-8", theme.theme_fingerprint(network))


@public
@require_GET
def favicon_svg(request: HttpRequest) -> HttpResponse:
    network = network_current()
    svg = theme.favicon_svg(primary=network.primary_colour if network else None,
                            letters=network.short_name if network else "S")
    response = _asset(request, svg, "image/svg+xml", theme.theme_fingerprint(network))
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@public
@require_GET
def favicon_ico(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``: browsers, feed readers and bookmarks ask for it whatever the page says."""
    network = network_current()
    ico = theme.favicon_ico(primary=network.primary_colour if network else None,
                            letters=network.short_name if network else "S")
    return _asset(request, ico, "image/x-icon", theme.theme_fingerprint(network))


@public
@require_GET
def network_logo(request: HttpRequest) -> HttpResponse:
    """The network's logo, checked again as it is served; an SVG gets a policy that runs nothing."""
    network = network_current()
    if network is None or not network.logo:
        raise Http404("no logo")
    with network.logo.open("rb") as fh:
        content = fh.read()
    try:
        kind = theme.logo_kind(content)
    except theme.ValidationError:
        raise Http404("no usable logo") from None
    content_type = "image/png" if kind == "png" else "image/svg+xml"
    response = _asset(request, content, content_type, theme.theme_fingerprint(network))
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
