"""Browser fixtures: Debian's Chromium driven by playwright, with the network cut off.

`make test` installs Debian's chromium when it is missing (see the Makefile). If it is still
missing, every browser test fails with the reason; none is skipped. Playwright never
downloads a browser here: it is pointed at /usr/bin/chromium.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import REPO

CHROMIUM = Path(os.environ.get("BCLM_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = REPO / "build" / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
MISSING = (
    f"Chromium not found at {CHROMIUM}: the browser tests need Debian's chromium. "
    "`make test` installs it with apt-get when run as root; otherwise run "
    "`apt-get install chromium` (or set BCLM_CHROMIUM to a Chromium binary)."
)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        pytest.fail(MISSING, pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the Python package playwright is missing: pip install -e '.[dev]'")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@dataclass
class OpenedPage:
    """A page loaded offline, with what it tried to fetch and what it complained about."""

    page: object
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _local(url: str) -> bool:
    return url.startswith(("file:", "data:", "about:", "http://localhost", "http://127.0.0.1"))


@pytest.fixture
def open_page(browser: object) -> Iterator[object]:
    """open_page(path) -> OpenedPage, ready (the network drawn once) or failed."""
    contexts = []

    def opener(path: Path, timeout_ms: int = 60_000) -> OpenedPage:
        import time

        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        contexts.append(context)
        page = context.new_page()
        opened = OpenedPage(page)

        def route(r: object) -> None:
            if _local(r.request.url):
                r.continue_()
            else:
                opened.blocked.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("requestfailed", lambda request: opened.failed.append(request.url))
        page.on(
            "console",
            lambda m: opened.errors.append(m.text) if m.type == "error" else None,
        )
        page.on("pageerror", lambda error: opened.errors.append(str(error)))
        start = time.perf_counter()
        page.goto(path.resolve().as_uri())
        page.wait_for_function("window.bclm && window.bclm.ready === true", timeout=timeout_ms)
        opened.seconds = time.perf_counter() - start
        return opened

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "load-times.txt").unlink(missing_ok=True)
    return ARTIFACTS
