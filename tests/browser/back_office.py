"""Helpers of the browser tests that drive Wagtail's back office."""


def save(page) -> None:
    """Press the form's save button, with no date picker left open over it (Escape does not always
    close Wagtail's picker)."""
    page.keyboard.press("Escape")
    # Leave the date field first: a picker still focused would open again over the button.
    page.evaluate("() => { document.activeElement?.blur(); "
                  "document.querySelectorAll('.xdsoft_datetimepicker').forEach(p => p.style.display = 'none'); }")
    page.locator("#w-editor-form button[type=submit]").first.click()
