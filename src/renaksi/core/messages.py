"""Messages the core says to people (import judgements, refusals, lint), in any language.

The core has no Django, so it cannot translate; it names each message by its Indonesian text
with ``{named}`` places for the values (the msgid of the project's catalog, marked with
:func:`gettext_noop` so ``makemessages`` finds it), keeps the values beside it, and lets the
caller render it in the page's language: ``message.render(gettext)``. ``str(message)`` is the
Indonesian text, the project's default language (the CLI prints that).

Values are kept as given (cell texts stay verbatim, numbers stay numbers), so a rendered message
in English says exactly what the Indonesian one says.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Message",
    "MessageError",
    "gettext_noop",
    "message_from_data",
    "msg",
    "placeholders",
    "reason_of",
    "render_text",
    "revive_params",
]


def gettext_noop(text: str) -> str:
    """Mark ``text`` as a message of the catalog (found by ``makemessages``); returns it unchanged."""
    return text


@dataclass(frozen=True)
class Message:
    template: str  # the msgid: Indonesian, with {named} places
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, translate: Callable[[str], str] | None = None) -> str:
        """The message in the language of ``translate`` (a gettext), Indonesian without one."""
        return render_text(self.template, self.params, translate)

    def __str__(self) -> str:
        return self.render()


def msg(template: str, **params: Any) -> Message:
    """A message: ``msg(gettext_noop("baris {line} tanpa target"), line=12)``."""
    return Message(template, params)


def render_text(
    template: str, params: Mapping[str, Any], translate: Callable[[str], str] | None = None
) -> str:
    """``template`` (translated when ``translate`` is given) with ``params`` put in its places.

    A translation that names a place the message has no value for falls back to the untranslated
    template, so a bad catalog entry can show Indonesian but never break a page.
    """
    text = translate(template) if translate is not None and template else template
    if not params:
        return text  # nothing to put in: a text that holds braces stays as it is
    # A nested message (the reason inside a refusal) speaks the language of the one holding it.
    values = {
        key: value.render(translate) if isinstance(value, Message) else value for key, value in params.items()
    }
    if ":,}" not in template:
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            return template.format(**values)
    formatter = _Formatter(_thousands_separator(translate))
    try:
        return formatter.format(text, **values)
    except (KeyError, IndexError, ValueError):
        return formatter.format(template, **values)


#: A grouped number as the catalog writes it: "1.000" in Indonesian, "1,000" in English. A place
#: written ``{count:,}`` groups its whole number with the language's thousands separator.
GROUPED_SAMPLE = gettext_noop("1.000")


def _thousands_separator(translate: Callable[[str], str] | None) -> str:
    sample = translate(GROUPED_SAMPLE) if translate is not None else GROUPED_SAMPLE
    return sample[1] if len(sample) == 5 and sample[0] == "1" and sample[2:] == "000" else "."


class _Formatter(string.Formatter):
    def __init__(self, separator: str) -> None:
        self.separator = separator

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == ",":
            if isinstance(value, int) and not isinstance(value, bool):
                return format(value, ",").replace(",", self.separator)
            return str(value)  # stored before numbers were kept as numbers: already written out
        return super().format_field(value, format_spec)


def message_from_data(data: Any) -> Message:
    """A message as stored in JSON (``{"template": ..., "params": {...}}``, as ``asdict`` writes it),
    or a plain text stored before messages were kept (its text is its template)."""
    if isinstance(data, Message):
        return data
    if isinstance(data, dict) and isinstance(data.get("template"), str):
        return Message(data["template"], revive_params(data.get("params") or {}))
    return Message(str(data))


def revive_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Stored values with the nested messages among them made messages again."""
    return {
        key: message_from_data(value)
        if isinstance(value, dict) and set(value) == {"template", "params"}
        else value
        for key, value in params.items()
    }


def placeholders(template: str) -> set[str]:
    """The names of the places in a template (``{line}`` -> ``line``)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def reason_of(error: BaseException) -> Message:
    """What an error says, as a message: its own when it carries one (``detail``), else its text."""
    detail = getattr(error, "detail", None)
    return detail if isinstance(detail, Message) else Message(str(error))


class MessageError(ValueError):
    """An error whose text is a :class:`Message`: ``str(error)`` is Indonesian, ``detail`` renders
    in any language."""

    def __init__(self, message: str | Message) -> None:
        self.detail = message if isinstance(message, Message) else Message(message)
        super().__init__(str(self.detail))
