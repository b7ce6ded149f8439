"""The Jinja2 engine behind ``services.messaging.render`` (customer messages).

:class:`JinjaMessageRenderer` renders a :class:`RenderedMessage` (subject, text, HTML, SMS)
in the customer's language; ``bootstrap`` installs one (with the operator's override folder)
as the renderer of ``services.messaging.render.render``. Templates are
Jinja2 with ``StrictUndefined`` (a missing value is an error, never an empty string); the HTML
part is autoescaped, the text and SMS parts are not. Filters format per locale with Babel:

- ``value|date`` / ``value|date("short")``: a ``date`` or ``datetime`` (``format_date``);
- ``value|datetime``: an aware ``datetime``, shown in UTC (``format_datetime``);
- ``amount|money(currency)``: a ``Decimal``/``int``/``float`` amount in currency units
  (e.g. ``12.90`` EUR, not cents), ``format_currency`` with the locale's pattern
  (``12,90 €`` in fr, ``€12.90`` in en).

Operators override templates by putting files with the same names in a folder
(``STOCKGUARD_MESSAGING__TEMPLATES_DIR``); :func:`check_overrides` validates such a folder
(names, syntax, required blocks, a trial render on the sample context) and reports every
problem with its file and line.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency

from stockguard.services.messaging import registry
from stockguard.services.messaging.registry import LANGUAGES, SAMPLES, TEMPLATES, TEXT_BLOCKS
from stockguard.services.messaging.render import (
    SMS_MAX_CHARS,
    MessageTemplateError,
    RenderedMessage,
    install,
)

BUILTIN_DIR = Path(registry.__file__).parent / "templates"


def normalise_locale(locale: str) -> tuple[str, str]:
    """``"fr-FR"`` -> ``("fr", "fr_FR")``: the template language and the Babel locale.

    Raises :class:`MessageTemplateError` for a language without templates.
    """
    babel_name = locale.strip().replace("-", "_")
    try:
        parsed = Locale.parse(babel_name)
    except (UnknownLocaleError, ValueError) as exc:
        raise MessageTemplateError(f"unknown locale {locale!r}") from exc
    if parsed.language not in LANGUAGES:
        raise MessageTemplateError(
            f"no templates in language {parsed.language!r} (locale {locale!r}); "
            f"available: {', '.join(LANGUAGES)}"
        )
    return parsed.language, str(parsed)


def _locale_of(ctx: jinja2.runtime.Context) -> str:
    return str(ctx.get("_locale", "en"))


@jinja2.pass_context
def _date_filter(ctx: jinja2.runtime.Context, value: dt.date, fmt: str = "long") -> str:
    return format_date(value, format=fmt, locale=_locale_of(ctx))


@jinja2.pass_context
def _datetime_filter(ctx: jinja2.runtime.Context, value: dt.datetime, fmt: str = "long") -> str:
    return format_datetime(value, format=fmt, tzinfo=dt.UTC, locale=_locale_of(ctx))


@jinja2.pass_context
def _money_filter(
    ctx: jinja2.runtime.Context, amount: Decimal | int | float, currency: str = "EUR"
) -> str:
    return format_currency(Decimal(str(amount)), currency, locale=_locale_of(ctx))


def _autoescape(name: str | None) -> bool:
    return name is not None and name.endswith(".html.j2")


@functools.lru_cache(maxsize=8)
def _environment(overrides_dir: str | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if overrides_dir is not None:
        loaders.append(jinja2.FileSystemLoader(overrides_dir))
    loaders.append(jinja2.FileSystemLoader(str(BUILTIN_DIR)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=_autoescape,  # noqa: S701 - on for every .html.j2, off for text/SMS
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["date"] = _date_filter
    env.filters["datetime"] = _datetime_filter
    env.filters["money"] = _money_filter
    return env


def _render_block(template: jinja2.Template, block: str, context: dict[str, Any]) -> str:
    if block not in template.blocks:
        raise MessageTemplateError(f"{template.name}: block {block!r} is missing")
    ctx = template.new_context(context)
    return "".join(template.blocks[block](ctx)).strip()


def render_with(
    template: str,
    locale: str,
    context: Mapping[str, Any],
    *,
    overrides_dir: Path | None = None,
) -> RenderedMessage:
    """Render ``template`` in ``locale`` ("fr", "en", "fr_FR", "en-GB" ...) with ``context``.

    ``context`` must hold the keys the template requires (``registry.TEMPLATES``); money
    amounts are in currency units, dates are ``date``/aware ``datetime``. Raises
    :class:`MessageTemplateError` naming the template, the part and the missing or wrong
    value; the SMS part longer than ``SMS_MAX_CHARS`` is an error too.
    """
    spec = TEMPLATES.get(template)
    if spec is None:
        raise MessageTemplateError(
            f"unknown message template {template!r}; known: {', '.join(sorted(TEMPLATES))}"
        )
    missing = [key for key in spec.required if key not in context]
    if missing:
        raise MessageTemplateError(
            f"template {template!r} needs {', '.join(missing)} in its context"
        )
    language, babel_locale = normalise_locale(locale)
    env = _environment(str(overrides_dir) if overrides_dir is not None else None)
    values = {**context, "_locale": babel_locale}
    name = f"{template}.{language}"
    try:
        txt = env.get_template(f"{name}.txt.j2")
        parts = {block: _render_block(txt, block, values) for block in TEXT_BLOCKS}
        html = env.get_template(f"{name}.html.j2").render(values).strip()
    except jinja2.TemplateError as exc:
        raise MessageTemplateError(f"template {name}: {exc}") from exc
    subject = " ".join(parts["subject"].split())
    sms = " ".join(parts["sms"].split())  # one line, plain spaces (GSM 03.38 has no NBSP)
    if len(sms) > SMS_MAX_CHARS:
        raise MessageTemplateError(
            f"template {name}: SMS is {len(sms)} characters, more than {SMS_MAX_CHARS}"
        )
    return RenderedMessage(subject=subject, text=parts["text"], html=html, sms=sms)


def _check_name(path: Path) -> str | None:
    """The reason a file name is not an override of a known template, or None if it is."""
    pieces = path.name.split(".")
    if len(pieces) != 4 or pieces[3] != "j2" or pieces[2] not in ("txt", "html"):
        return "expected <template>.<lang>.txt.j2 or <template>.<lang>.html.j2"
    if pieces[0] not in TEMPLATES:
        return f"unknown template {pieces[0]!r}; known: {', '.join(sorted(TEMPLATES))}"
    if pieces[1] not in LANGUAGES:
        return f"unknown language {pieces[1]!r}; available: {', '.join(LANGUAGES)}"
    return None


def check_overrides(folder: Path) -> list[str]:
    """Validate an operator override folder; return the problems (empty when valid).

    Each problem reads ``<file>:<line>: <reason>``: file names must match a known template
    and language, templates must parse, text templates must define the blocks ``subject``,
    ``text`` and ``sms``, and each override must render the sample context of its template.
    """
    if not folder.is_dir():
        return [f"{folder}: not a folder"]
    problems: list[str] = []
    env = _environment(str(folder))
    for path in sorted(folder.iterdir()):
        if path.is_dir():
            continue
        reason = _check_name(path)
        if reason is not None:
            problems.append(f"{path}:0: {reason}")
            continue
        try:
            source = path.read_text(encoding="utf-8")
            env.parse(source, name=path.name, filename=str(path))
        except UnicodeDecodeError:
            problems.append(f"{path}:0: not UTF-8 text")
            continue
        except jinja2.TemplateSyntaxError as exc:
            problems.append(f"{path}:{exc.lineno}: {exc.message}")
            continue
        template, language = path.name.split(".")[:2]
        try:
            render_with(template, language, SAMPLES[template], overrides_dir=folder)
        except MessageTemplateError as exc:
            problems.append(f"{path}:0: does not render the sample context: {exc}")
    return problems


def load_overrides(folder: Path | None) -> Path | None:
    """Check an override folder once (at start-up) and return it; raise on any problem."""
    if folder is None:
        return None
    problems = check_overrides(folder)
    if problems:
        raise MessageTemplateError(
            "invalid message template overrides:\n" + "\n".join(f"  {p}" for p in problems)
        )
    return folder


class JinjaMessageRenderer:
    """``MessageRenderer`` on the built-in templates and an optional, checked override
    folder (:func:`load_overrides` runs once, here)."""

    def __init__(self, overrides_dir: Path | None = None) -> None:
        self.overrides_dir = load_overrides(overrides_dir)

    def render(self, template: str, locale: str, context: Mapping[str, Any]) -> RenderedMessage:
        """See :func:`render_with`."""
        return render_with(template, locale, context, overrides_dir=self.overrides_dir)


def install_default(overrides_dir: Path | None = None) -> JinjaMessageRenderer:
    """Install a :class:`JinjaMessageRenderer` as ``services.messaging.render``'s renderer."""
    renderer = JinjaMessageRenderer(overrides_dir)
    install(renderer)
    return renderer
