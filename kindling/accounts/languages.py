"""ISO 639 languages: codes stored on profiles, names shown in the reader's language.

Codes are ISO 639-1 (two letters) where one exists, otherwise ISO 639-3, so that home languages
without a two-letter code (Hmong ``hmn``, K'iche' ``quc``, Cantonese ``yue``) can still be named.
"""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache

import pycountry
from django.utils import translation


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    try:
        return gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return gettext.NullTranslations()


@cache
def _living_languages() -> dict[str, str]:
    """Map each storable code to its English name (living individual and macro languages)."""
    result: dict[str, str] = {}
    for language in pycountry.languages:
        if getattr(language, "type", "") not in {"L"} or getattr(language, "scope", "") not in {
            "I",
            "M",
        }:
            continue
        code = getattr(language, "alpha_2", None) or language.alpha_3
        result[code] = language.name
    return result


@cache
def _lookup_index() -> dict[str, str]:
    """Folded names (English and Spanish) and codes to the storable code."""
    index: dict[str, str] = {}
    spanish = _catalogue("es")
    for code, name in _living_languages().items():
        index.setdefault(_fold(code), code)
        index.setdefault(_fold(name), code)
        index.setdefault(_fold(spanish.gettext(name)), code)
        record = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
        if record is not None:
            index.setdefault(_fold(record.alpha_3), code)
    return index


def language_name(code: str, language: str | None = None) -> str:
    """The name of the language with this code, in the active (or given) UI language."""
    english = _living_languages().get(code)
    if english is None:
        return code
    ui = (language or translation.get_language() or "en").split("-")[0]
    if ui == "en":
        return english
    return _catalogue(ui).gettext(english)


def find_language(text: str) -> str | None:
    """The storable code for a name or code as a person might type it, or None."""
    return _lookup_index().get(_fold(text))


def common_language_choices() -> list[tuple[str, str]]:
    """Two-letter languages, named in the active language and sorted, for pickers and hints."""
    return sorted(
        ((code, language_name(code)) for code in _living_languages() if len(code) == 2),
        key=lambda pair: _fold(pair[1]),
    )
