"""Translatable messages for the Qt-free core.

The core writes user-facing text in English, marked with ``QT_TRANSLATE_NOOP`` so that
``pyside6-lupdate`` extracts it into ``resources/translations/*.ts`` under the given
context. The GUI and the command line install Qt's translator through
:func:`install_translator`; until then messages render in English. Placeholders are
named (``{level}``) so a translation may reorder them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

TranslateFunction = Callable[[str, str], str]


def _identity(context: str, source: str) -> str:
    return source


_translate: TranslateFunction = _identity
_language = "en"


@dataclass(frozen=True)
class MessageTemplate:
    """A marked source string and its translation context."""

    context: str
    source: str

    def format(self, **params: Any) -> Message:
        return Message(self, params)

    def __str__(self) -> str:
        return render(Message(self, {}))


@dataclass(frozen=True)
class Message:
    """A message with its parameters, rendered in the installed language on ``str()``."""

    template: MessageTemplate
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return render(self)

    @property
    def english(self) -> str:
        return self.template.source.format(**_rendered_params(self.params, _identity))


def QT_TRANSLATE_NOOP(context: str, source: str) -> MessageTemplate:  # noqa: N802
    """Mark ``source`` for extraction by lupdate under ``context``."""
    return MessageTemplate(context, source)


def install_translator(translate: TranslateFunction, language: str) -> None:
    """Route rendering through ``translate(context, source)``; ``language`` is e.g. ``zh_CN``."""
    global _translate, _language
    _translate = translate
    _language = language


def current_language() -> str:
    return _language


def localized(chinese: str, english: str) -> str:
    """Pick between the two names that reference data carries for each entry."""
    return chinese if _language.startswith("zh") else english


def render(message: Message) -> str:
    text = _translate(message.template.context, message.template.source)
    return text.format(**_rendered_params(message.params, _translate))


def _rendered_params(params: Mapping[str, Any], translate: TranslateFunction) -> dict[str, Any]:
    rendered: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, Message):
            rendered[key] = render(value) if translate is _translate else value.english
        elif isinstance(value, MessageTemplate):
            rendered[key] = translate(value.context, value.source)
        else:
            rendered[key] = value
    return rendered
