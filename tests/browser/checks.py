"""The checks every page in a journey must pass.

``check_page`` runs axe-core (WCAG 2.1 A and AA) on the page and fails with a readable list if it
finds anything, or if the browser reported a Content Security Policy violation, an uncaught
JavaScript error or a server error (5xx) since the last check.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page, Response

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass
class BrowserReport:
    """What a page told us while a journey ran: console lines, uncaught errors, server errors."""

    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


_reports: weakref.WeakKeyDictionary[object, BrowserReport] = weakref.WeakKeyDictionary()


def watch(page: Page) -> BrowserReport:
    """Start collecting what ``page`` reports: console messages, uncaught errors, 5xx answers."""
    report = BrowserReport()
    _reports[page] = report
    page.on("console", lambda message: report.console.append(f"[{message.type}] {message.text}"))
    page.on("pageerror", lambda error: report.errors.append(f"JavaScript error: {error}"))

    def on_response(response: Response) -> None:
        if response.status >= 500:
            report.errors.append(f"Server error: {response.status} for {response.url}")

    page.on("response", on_response)
    return report


def assert_no_browser_problems(page: Page) -> None:
    """Fail on any CSP violation, uncaught JavaScript error or server error (5xx) so far."""
    report = _reports[page]
    csp = [line for line in report.console if "content security policy" in line.lower()]
    problems = [f"Content Security Policy violation: {line}" for line in csp]
    problems += report.errors
    report.console.clear()  # report each problem once, not again when the page closes
    report.errors.clear()
    if problems:
        pytest.fail(f"On {page.url}:\n" + "\n".join(problems), pytrace=False)


def run_axe(page: Page) -> list[dict]:
    """Inject axe-core (through evaluate: the site's CSP forbids inline scripts) and run it."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
            }));
        }""",
        AXE_TAGS,
    )


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    at {node['target']}: {summary}")
    return "\n".join(lines)


def check_page(page: Page) -> None:
    """The checks every page in a journey must pass: axe clean, no CSP violation, no error."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm install` first.", pytrace=False)
    page.wait_for_load_state("load")
    violations = run_axe(page)
    if violations:
        pytest.fail(
            f"axe found accessibility problems on {page.url}:\n{format_violations(violations)}",
            pytrace=False,
        )
    assert_no_browser_problems(page)


def sign_out(page: Page) -> None:
    """Sign out from the header, and wait until the page offers to sign in again."""
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Sign in").wait_for()


def sign_in(page: Page, email: str, password: str) -> None:
    """Sign in through the form, checking the sign-in page and the page it leads to."""
    page.goto("/accounts/login/")
    check_page(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=False).first.fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    check_page(page)


# Every journey: the browser marker, a skip without Chromium, and a database the live server's
# thread can see (transactional: the test's own writes are committed).
JOURNEY = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed"),
    pytest.mark.django_db(transaction=True),
]
