"""Debian's chromium through Playwright, for the browser tests: every request must stay on 127.0.0.1 (no CDN)
and the console must stay clean; the page records what broke either rule."""
from __future__ import annotations

from contextlib import contextmanager
from urllib.parse import urlsplit

from tests.conftest import require_module, require_tool

CHROMIUM = "/usr/bin/chromium"
DESKTOP = {"width": 1366, "height": 900}
#: a small phone (the portal must be usable from 360 px)
PHONE = {"width": 360, "height": 740}


@contextmanager
def browser_page(viewport: dict, **context_options):
    sync_api = require_module("playwright.sync_api", "playwright")
    require_tool(CHROMIUM, "chromium")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport=viewport, locale="vi-VN", **context_options)
        page = context.new_page()
        page.set_default_timeout(30_000)  # the shared CI machine can be slow; a hang still fails
        page.outside_requests = []
        page.console_errors = []

        def only_localhost(route):
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                page.outside_requests.append(route.request.url)
                route.abort()

        page.route("**/*", only_localhost)

        def console(msg):
            # a refused form is answered 422 on purpose (Chromium logs every 4xx document load); anything
            # else (a missing asset, a script error) is a real error
            if msg.type == "error" and "status of 422" not in msg.text:
                page.console_errors.append(msg.text)

        page.on("console", console)
        page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
        try:
            yield page
        finally:
            context.close()
            browser.close()


#: (server, username) -> the TOTP step last typed: a code is accepted once (issue 11)
_USED_STEPS: dict[tuple[str, str], int] = {}


def log_in(page, base: str, username: str, password: str = "caseflow2026") -> None:
    """Sign a demo user in through the form, typing a not yet used TOTP code of the demo user's key when the
    role needs the second factor (issue 17), and land on the home page."""
    import pyotp

    from caseflow.demo import demo_totp_secret
    from caseflow.web.twofactor import unused_step

    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_load_state()
    if "/login/two-factor" in page.url:
        secret = demo_totp_secret(username)
        step = _USED_STEPS[(base, username)] = unused_step(secret, _USED_STEPS.get((base, username)))
        page.fill("#code", pyotp.TOTP(secret).generate_otp(step))
        page.click("#totp-submit")
    page.wait_for_url(f"{base}/")
