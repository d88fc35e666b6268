"""The picture of the review desk the README shows: `kg extract` drafts the family's Genoa release
(tests/family/releases/09_genova_nautica) into a fresh data folder, `kg review` serves the draft, and
Debian's Chromium (through Playwright, as the desk's tests drive it) opens it at 1600x1000 with the first
fact that has a review line chosen; saved as PNG.

    python scripts/review_picture.py docs/review-desk.png
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from kg.draft.extract import extract_into
from kg.views.review import Desk
from kg.views.review_server import make_server

FAMILY = Path(__file__).resolve().parent.parent / "tests" / "family"
RELEASE = "09_genova_nautica"


def main(target: str) -> int:
    browser_path = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser_path is None:
        raise SystemExit("Chromium is missing: `make browser` installs Debian's chromium package")
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / "data"
        data.mkdir()
        for name in ("registry.yaml", "places.yaml", "sectors.yaml"):
            shutil.copy(FAMILY / name, data / name)
        _draft, folder = extract_into(FAMILY / "releases" / RELEASE / "release.txt", data, RELEASE, data)
        server = make_server(Desk(folder), 0)
        threading.Thread(target=server.run, daemon=True).start()
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path=browser_path, args=["--no-sandbox", "--disable-gpu"])
                page = browser.new_page(viewport={"width": 1600, "height": 1000})
                page.goto(f"http://127.0.0.1:{server.effective_port}/")
                page.wait_for_selector("body[data-ready]")
                first = page.locator(".card:has(.review)").first
                first.locator(".evidence").click()
                page.screenshot(path=target)
                browser.close()
        finally:
            server.close()
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
