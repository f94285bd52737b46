"""Strict parsing of environment variables for settings.

Every reader takes the variable's name and a default, and raises ``ImproperlyConfigured`` naming
the variable when its value cannot be understood, so a typo stops start-up instead of silently
falling back to a default.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name} must be true or false (1/0, yes/no, on/off), not {value!r}."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default).lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def parse_email_url(name: str, url: str) -> dict[str, object]:
    """Turn ``smtp://user:pass@host:587?tls=1`` (or ``console:``, ``file:/path``) into settings."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "memory":
        return {"EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file":
        if not parts.path:
            raise ImproperlyConfigured(f"{name} needs a folder, as in file:///var/mail/kindling.")
        return {
            "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": parts.path,
        }
    if scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise ImproperlyConfigured(
                f"{name} needs a host, as in smtp://user:pass@host:587?tls=1."
            )
        query = {key: values[-1].lower() for key, values in parse_qs(parts.query).items()}
        for flag in ("tls", "ssl"):
            if flag in query and query[flag] not in TRUE_WORDS | FALSE_WORDS:
                raise ImproperlyConfigured(f"{name}: {flag}= must be 1 or 0, not {query[flag]!r}.")
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"{name} has a port that is not a number.") from None
        use_ssl = scheme == "smtps" or query.get("ssl") in TRUE_WORDS
        return {
            "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": port or (465 if use_ssl else 587),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": query.get("tls") in TRUE_WORDS,
            "EMAIL_USE_SSL": use_ssl,
        }
    raise ImproperlyConfigured(
        f"{name} must start with smtp://, smtps://, console:, memory: or file://, not {url!r}."
    )


def check_redis_url(name: str, url: str) -> str:
    if url and urlsplit(url).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(f"{name} must start with redis://, rediss:// or unix://.")
    return url
