"""The partner-site snippet of docs/api.md, run in Chromium from another origin (CORS)."""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.api._client import Api

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
NODE = "network/icn"


def _snippet(api_base: str) -> str:
    match = re.search(r"```html\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert match, "docs/api.md has no ```html snippet"
    html = re.sub(r'data-api="[^"]*"', f'data-api="{api_base}"', match[1])
    html = re.sub(r'data-node="[^"]*"', f'data-node="{NODE}"', html)
    return f"<!doctype html><html><head><meta charset='utf-8'></head><body>{html}</body></html>"


@pytest.fixture
def portal(api: Api, portal_port: int) -> Iterator[str]:
    """A loopback partner site serving the snippet, on the origin the server allows."""
    page = _snippet(api.base).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the http.server hook name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", portal_port), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{portal_port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.browser
def test_snippet_lists_the_members_from_a_partner_origin(api: Api, portal: str) -> None:
    if api.backend != "sqlite":
        pytest.skip("browser behaviour does not depend on the backend")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Chromium not found on PATH")
    from playwright.sync_api import sync_playwright

    query = """query($id: ID!) { node(id: $id) { name relationships(types: ["MEMBER_OF"],
      direction: IN, first: 100) { edges { other { name } } } } }"""
    expected = api.data(query, {"id": NODE})["node"]
    names = [e["other"]["name"] for e in expected["relationships"]["edges"]]
    assert names, f"{NODE} has no members to show"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda err: errors.append(str(err)))
            page.goto(portal)
            page.wait_for_selector("#icn-members li", timeout=15_000)
            shown = page.locator("#icn-members li").all_text_contents()
            title = page.locator("#icn-members h3").text_content()
        finally:
            browser.close()
    assert errors == []
    assert title == f"Members of {expected['name']}"
    assert [re.sub(r" \(since .*\)$", "", item) for item in shown] == names
