"""Helpers for testing and benchmarking bordermap's outputs as a user sees them.

:func:`headless_chromium` starts Debian's Chromium the way the test suite and the benchmarks
open the HTML map: headless, with a fresh profile, no background networking, and optionally with
the network switched off and the browser and network logs recorded. Selenium is imported only
here, so the package itself does not need it.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-extensions",
    "--no-first-run",
    "--window-size=1400,900",
)


@contextlib.contextmanager
def headless_chromium(
    chromium: str, chromedriver: str, *, offline: bool = False, logs: bool = False
) -> Iterator[Any]:
    """Yield a Selenium WebDriver for headless Chromium; quit it and remove its profile after.

    Parameters
    ----------
    chromium, chromedriver
        Paths of the browser and its driver (Debian: ``/usr/bin/chromium``, ``/usr/bin/chromedriver``).
    offline
        Switch the network off (Chrome DevTools network emulation) before any page loads.
    logs
        Record the browser console and the network events (``driver.get_log("browser")`` and
        ``driver.get_log("performance")``).
    """
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError("opening maps in Chromium needs selenium: pip install 'bordermap[test]'") from exc

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    profile = tempfile.mkdtemp(prefix="bordermap-chromium-")
    for arg in (*CHROMIUM_ARGS, f"--user-data-dir={profile}"):
        options.add_argument(arg)
    if logs:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    try:
        if offline:
            driver.execute_cdp_cmd("Network.enable", {})
            driver.execute_cdp_cmd(
                "Network.emulateNetworkConditions",
                {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0},
            )
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
