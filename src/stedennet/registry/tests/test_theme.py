"""The network's own look: colour checks, the logo check, footer links, the seed, and what is served."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from stedennet.registry import theme
from stedennet.registry.services import network_theme_seed

PNG = theme.PNG_SIGNATURE + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#0b5c71"/></svg>'


def codes(error: ValidationError) -> list[str]:
    return [e.code for e in error.error_list]


class TestColour:
    def test_a_dark_colour_is_accepted_and_makes_a_ramp_around_it(self):
        theme.validate_primary_colour("#0b5c71")
        ramp = theme.accent_ramp("#0b5c71")
        assert ramp["500"] == "#0b5c71"
        assert theme.relative_luminance(ramp["700"]) < theme.relative_luminance(ramp["500"])
        assert theme.relative_luminance(ramp["50"]) > theme.relative_luminance(ramp["100"]) > 0.8

    @pytest.mark.parametrize(("value", "code"), [("red", "colour_format"), ("#12345", "colour_format"),
                                                 ("#ffcc00", "colour_contrast"), ("#ff6e00", "colour_contrast")])
    def test_a_colour_text_cannot_be_read_in_is_refused(self, value, code):
        with pytest.raises(ValidationError) as refused:
            theme.validate_primary_colour(value)
        assert codes(refused.value) == [code]

    def test_the_tokens_carry_the_colour_and_no_diagonal_band(self):
        css = theme.theme_css("#0b5c71")
        assert ".stedennet-theme {" in css
        assert "--basis-color-accent-1-color-default: #0b5c71;" in css
        assert "--utrecht-page-footer-background-image: none;" in css
        assert "--utrecht-page-footer-background-color: #0b5c71;" in css

    def test_without_a_colour_the_neutral_stedennet_colour_is_used(self):
        assert f"--basis-color-accent-1-color-default: {theme.DEFAULT_PRIMARY};" in theme.theme_css("")


class TestLogo:
    def test_png_and_plain_svg_are_accepted(self):
        assert theme.logo_kind(PNG) == "png"
        assert theme.logo_kind(SVG) == "svg"

    @pytest.mark.parametrize(("content", "code"), [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo_unsafe"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "logo_unsafe"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>', "logo_unsafe"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
         b'<image x:href="https://tracker.example/p.png"/></svg>', "logo_external"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: url(https://x.example/a)"/></svg>',
         "logo_external"),
        (b'<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>', "logo_format"),
        (b"GIF89a....", "logo_format"),
        (b"<html/>", "logo_format"),
        (theme.PNG_SIGNATURE + b"\x00" * theme.LOGO_MAX_BYTES, "logo_too_large"),
    ])
    def test_anything_else_is_refused_with_the_reason(self, content, code):
        with pytest.raises(ValidationError) as refused:
            theme.logo_kind(content)
        assert codes(refused.value) == [code]

    def test_an_unsafe_upload_is_refused_on_the_field(self, g40):
        g40.logo = SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onclick="x()"/>')
        with pytest.raises(ValidationError) as refused:
            g40.full_clean()
        assert "logo" in refused.value.error_dict


class TestFooterLinks:
    def test_lines_become_links(self):
        assert theme.footer_links_parse("Website | https://www.g40stedennetwerk.nl/\n\nMail | mailto:a@b.nl") == [
            {"label": "Website", "url": "https://www.g40stedennetwerk.nl/"}, {"label": "Mail", "url": "mailto:a@b.nl"}]

    def test_a_bad_line_is_named(self, g40):
        g40.footer_links = "Website | https://ok.example/\nno address here\nBad | javascript:alert(1)"
        with pytest.raises(ValidationError) as refused:
            g40.full_clean()
        errors = refused.value.error_dict["footer_links"]
        assert [(e.code, e.params["line"]) for e in errors] == [("footer_link_format", 2), ("footer_link_url", 3)]


class TestSeed:
    def test_the_g40_seed_gives_its_placeholder_colour_and_footer(self, g40):
        assert g40.primary_colour == "#0b5c71"
        assert g40.footer_link_list == [{"label": "Website van het Stedennetwerk G40",
                                         "url": "https://www.g40stedennetwerk.nl/"}]
        assert g40.theme_source.startswith("PLACEHOLDER")  # not the G40's official house style

    def test_the_seed_never_overwrites_what_the_bureau_chose(self, g40):
        from django.core.management import call_command

        g40.primary_colour, g40.footer_text = "#333366", "Ons eigen netwerk."
        g40.save()
        call_command("load_g40", stdout=io.StringIO(), stderr=io.StringIO())
        g40.refresh_from_db()
        assert (g40.primary_colour, g40.footer_text) == ("#333366", "Ons eigen netwerk.")

    def test_an_empty_field_is_filled_from_the_seed(self, g40):
        g40.primary_colour = ""
        g40.save()
        assert network_theme_seed(network=g40, theme={"primary_colour": "#0b5c71"}) == ["primary_colour"]
        g40.refresh_from_db()
        assert g40.primary_colour == "#0b5c71"


class TestServed:
    def test_the_logo_is_served_with_a_policy_that_runs_nothing(self, g40, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        g40.logo.save("g40.svg", io.BytesIO(SVG))
        html = Client().get("/leden/").content.decode()
        assert '<img class="site-brand__logo" src="/netwerk/logo?v=' in html
        response = Client().get("/netwerk/logo")
        assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
        assert response["Content-Security-Policy"].startswith("default-src 'none'")
        assert response.content == SVG

    def test_without_a_logo_the_short_name_is_the_mark(self, g40):
        html = Client().get("/leden/").content.decode()
        assert '<span class="site-brand__mark" aria-hidden="true">G40</span>' in html
        assert Client().get("/netwerk/logo").status_code == 404

    def test_a_changed_colour_changes_the_theme_address(self, g40):
        before = theme.theme_fingerprint(g40)
        g40.primary_colour = "#333366"
        g40.save()
        assert theme.theme_fingerprint(g40) != before
        css = Client().get("/thema.css").content.decode()
        assert "--basis-color-accent-1-color-default: #333366;" in css
