"""``{% styled form as name %}``: allauth's forms with NL Design System widgets (allauth/elements/fields.html)."""

from django import template

from stedennet.web.forms import style_widgets

register = template.Library()


@register.simple_tag
def styled(form):
    if form is not None:
        style_widgets(form)
    return form
