import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, parse_email_url

ROOT = Path(__file__).resolve().parents[3]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "PYTEST"))}
    clean.update({"DEBUG": "", "SECRET_KEY": "", "DATABASE_URL": "", "REDIS_URL": ""})
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={k: v for k, v in clean.items() if v != ""},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_bad_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false"):
        env_bool("DEBUG", False)


def test_bad_number_names_the_variable(monkeypatch):
    monkeypatch.setenv("SQLITE_BUSY_TIMEOUT_SECONDS", "soon")
    with pytest.raises(ImproperlyConfigured, match="SQLITE_BUSY_TIMEOUT_SECONDS must be a whole"):
        env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 5)


def test_lists_are_split_on_commas(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " kindling.example.org, ,www.example.org ")
    assert env_list("ALLOWED_HOSTS", []) == ["kindling.example.org", "www.example.org"]


def test_smtp_url_becomes_settings():
    parsed = parse_email_url("EMAIL_URL", "smtp://me%40x.org:p%40ss@mail.x.org:2525?tls=1")
    assert parsed["EMAIL_HOST"] == "mail.x.org"
    assert parsed["EMAIL_PORT"] == 2525
    assert parsed["EMAIL_HOST_USER"] == "me@x.org"
    assert parsed["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert parsed["EMAIL_USE_TLS"] is True


@pytest.mark.parametrize("url", ["gopher://x", "smtp://", "smtp://h?tls=perhaps", "smtp://h:port"])
def test_bad_email_url_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        parse_email_url("EMAIL_URL", url)


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "perhaps"),
        ("DATABASE_URL", "mysql://db/kindling"),
        ("REDIS_URL", "http://127.0.0.1:6379"),
        ("TASK_BACKEND", "celery"),
        ("EMAIL_URL", "pigeon://loft"),
    ],
)
def test_bad_environment_value_stops_start_up_naming_the_variable(variable, value):
    result = run_manage("check", **{"DEBUG": "1", variable: value})
    assert result.returncode != 0
    assert variable in result.stderr


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="k" * 20 + "Z9-long-random-production-secret-value-xyz",
        ALLOWED_HOSTS="kindling.example.org",
        KINDLING_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
