"""Screenshots of the main pages for the README: ``make screenshots``.

Starts the development server on a free port against the demo database (``make demo`` first),
logs in as the demo publisher for the admin shot, and writes PNGs to docs/screenshots/.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
ELECTION = "/bau-cu/bau-cu-dbqh-khoa-xv-va-hdnd-cac-cap-nhiem-ky-2021-2026/"
SEED = "/tin-tuc/tong-ket-chi-thi-45-ct-tw-lanh-dao-bau-cu-dbqh-khoa-xv-va-hdnd-cac-cap-2021-2026/"
SHOTS = [
    # (file, path, width, full page)
    ("home.png", "/", 1280, True),
    ("article-mobile.png", SEED, 390, False),
    ("article.png", SEED, 1280, True),
    ("search.png", "/tim-kiem/?q=BAU+CU", 1280, False),
    ("election.png", ELECTION, 1280, True),
    ("awards.png", "/khen-thuong/", 1280, False),
    ("home-en.png", "/en/", 1280, False),
    ("documents.png", "/van-ban/", 1280, False),
    ("organisation.png", "/co-cau-to-chuc/", 1280, False),
    ("questions.png", "/hoi-dap/", 1280, False),
    ("schedule.png", "/lich-cong-tac/", 1280, False),
    ("home-mobile.png", "/", 390, False),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(base + "/healthz")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"))
            for name, path, width, full in SHOTS:
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                if full:  # lazy pictures below the fold load only once scrolled to
                    page.evaluate(
                        "document.querySelectorAll('img[loading=lazy]')"
                        ".forEach(img => { img.loading = 'eager'; })"
                    )
                    page.wait_for_function(
                        "[...document.images].every(img => img.complete)", timeout=10_000
                    )
                page.screenshot(path=OUT / name, full_page=full)
                print(f"{name}: {path}")
                page.close()
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(base + "/admin/login/")
            page.fill("#id_username", "duyettin")
            page.fill("#id_password", "duyettin-demo-2021")
            page.click("input[type=submit]")
            page.goto(base + "/admin/articles/article/")
            page.screenshot(path=OUT / "admin-articles.png")
            page.click("table#result_list tbody tr:first-child th a")
            page.wait_for_selector(".cke_wysiwyg_frame")
            page.screenshot(path=OUT / "admin-article-edit.png")
            print("admin-articles.png, admin-article-edit.png")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
