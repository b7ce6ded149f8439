"""Customer message templates: every template in fr and en, Babel formats, escaping,
strict context and operator overrides."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from stockguard.adapters.notifications.templates import (
    JinjaMessageRenderer,
    check_overrides,
    install_default,
    load_overrides,
)
from stockguard.services.messaging import render as render_module
from stockguard.services.messaging.registry import LANGUAGES, SAMPLES, TEMPLATES
from stockguard.services.messaging.render import MessageTemplateError, render


@pytest.fixture(autouse=True)
def _renderer() -> None:
    install_default()


def test_render_without_an_installed_renderer_says_how_to_install_one() -> None:
    render_module._installed.clear()
    with pytest.raises(MessageTemplateError, match="no message renderer installed"):
        render("back_in_stock", "en", SAMPLES["back_in_stock"])


@pytest.mark.parametrize("template", sorted(TEMPLATES))
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_renders_all_parts(template: str, language: str) -> None:
    message = render(template, language, SAMPLES[template])
    assert message.subject
    assert "\n" not in message.subject
    assert "Camille" in message.text
    assert message.html.startswith("<!doctype html>")
    assert f'lang="{language}"' in message.html
    assert 0 < len(message.sms) <= 459
    assert "Ceramic mug 350 ml" in message.sms


def test_dates_and_money_follow_the_locale() -> None:
    fr = render("back_in_stock", "fr", SAMPLES["back_in_stock"])
    en = render("back_in_stock", "en-GB", SAMPLES["back_in_stock"])
    assert "3 décembre 2026" in fr.text
    assert "12,90\u00a0€" in fr.text
    assert "3 December 2026" in en.text
    assert "€12.90" in en.text
    notice = render("delay_notice", "fr_FR", SAMPLES["delay_notice"])
    assert "SG-7QK2-M9" in notice.text
    assert "5,00 € de réduction" in notice.sms  # SMS: plain spaces (GSM alphabet)


def test_html_is_escaped_and_text_is_not() -> None:
    context = {**SAMPLES["back_in_stock"], "name": "<script>x</script> & Co"}
    message = render("back_in_stock", "en", context)
    assert "<script>" not in message.html
    assert "&lt;script&gt;x&lt;/script&gt; &amp; Co" in message.html
    assert "<script>x</script> & Co" in message.text


def test_missing_context_and_unknown_names_are_explained() -> None:
    context = dict(SAMPLES["delay_notice"])
    del context["new_date"]
    with pytest.raises(MessageTemplateError, match="needs new_date"):
        render("delay_notice", "en", context)
    with pytest.raises(MessageTemplateError, match="unknown message template 'promo'"):
        render("promo", "en", {})
    with pytest.raises(MessageTemplateError, match="no templates in language 'de'"):
        render("back_in_stock", "de", SAMPLES["back_in_stock"])
    bad_product = {**SAMPLES["back_in_stock"], "product": {"name": "Mug"}}
    with pytest.raises(MessageTemplateError, match="sku"):
        render("back_in_stock", "en", bad_product)


def test_free_shipping_and_no_compensation_variants() -> None:
    base = SAMPLES["delay_notice"]
    free = {**base, "compensation": {"kind": "free_shipping", "code": "SHIP-1"}}
    assert "ships free with the code SHIP-1" in render("delay_notice", "en", free).text
    none = render("delay_notice", "en", {**base, "compensation": None})
    assert "apologise" not in none.text
    assert "Dec 14, 2026" in none.subject


def test_operator_override_replaces_one_language(tmp_path: Path) -> None:
    (tmp_path / "back_in_stock.en.txt.j2").write_text(
        "{% block subject %}Back: {{ product.name }}{% endblock %}"
        "{% block text %}Hi {{ name }}, {{ link }}{% endblock %}"
        "{% block sms %}{{ product.name }} {{ link }}{% endblock %}",
        encoding="utf-8",
    )
    assert load_overrides(tmp_path) == tmp_path
    custom = JinjaMessageRenderer(tmp_path)
    en = render("back_in_stock", "en", SAMPLES["back_in_stock"], renderer=custom)
    assert en.subject == "Back: Ceramic mug 350 ml"
    assert en.text == "Hi Camille, https://shop.example/p/MUG-01"
    assert "<strong>Ceramic mug 350 ml</strong>" in en.html  # built-in HTML kept
    fr = render("back_in_stock", "fr", SAMPLES["back_in_stock"], renderer=custom)
    assert fr.subject.endswith("est de retour en stock")


def test_invalid_overrides_are_reported_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "back_in_stock.de.txt.j2").write_text("x", encoding="utf-8")
    (tmp_path / "promo.en.txt.j2").write_text("x", encoding="utf-8")
    (tmp_path / "delay_notice.en.txt.j2").write_text(
        "{% block subject %}ok{% endblock %}\n{% block text %}{% if %}{% endblock %}",
        encoding="utf-8",
    )
    (tmp_path / "confirm_subscription.en.txt.j2").write_text(
        "{% block subject %}{{ nope }}{% endblock %}{% block text %}t{% endblock %}"
        "{% block sms %}s{% endblock %}",
        encoding="utf-8",
    )
    (tmp_path / "discontinued_substitutes.fr.txt.j2").write_text(
        "{% block subject %}s{% endblock %}{% block text %}t{% endblock %}", encoding="utf-8"
    )
    problems = check_overrides(tmp_path)
    joined = "\n".join(problems)
    assert len(problems) == 5, joined
    assert "back_in_stock.de.txt.j2:0: unknown language 'de'" in joined
    assert "promo.en.txt.j2:0: unknown template 'promo'" in joined
    assert "delay_notice.en.txt.j2:2:" in joined
    assert "'nope' is undefined" in joined
    assert "block 'sms' is missing" in joined
    with pytest.raises(MessageTemplateError, match="invalid message template overrides"):
        JinjaMessageRenderer(tmp_path)
    assert check_overrides(tmp_path / "absent") == [f"{tmp_path / 'absent'}: not a folder"]


def test_confirmation_expiry_is_shown_in_utc() -> None:
    context = {
        **SAMPLES["confirm_subscription"],
        "expires_at": dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        "product": {"sku": "A", "name": "Lamp", "price": Decimal(1), "currency": "EUR"},
    }
    assert "7:30" in render("confirm_subscription", "en", context).text
