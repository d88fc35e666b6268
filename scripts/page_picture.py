"""The picture of the graph page the README shows: `kg viz -o FILE.html` opened in Debian's Chromium
through Playwright (as the page's tests open it) at 1600x1000, SOCAR chosen, saved as PNG.

    python scripts/page_picture.py OUT/graph.html docs/graph-page.png
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright


def main(page_file: str, target: str) -> int:
    browser_path = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser_path is None:
        raise SystemExit("Chromium is missing: `make browser` installs Debian's chromium package")
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=browser_path, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(Path(page_file).resolve().as_uri() + "?select=socar")
        page.wait_for_selector("body[data-ready]")
        page.screenshot(path=target)
        browser.close()
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
