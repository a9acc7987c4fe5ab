#!/usr/bin/env python3
"""Take the README screenshot of a running demo (``scripts/demo``).

Logs in through Odoo's JSON-RPC ``/web/session/authenticate``, hands the
``session_id`` cookie to a headless Chromium driven through the DevTools
protocol, opens the page, waits until a list view shows at least ``--min-rows``
rows and saves a PNG::

    HTTP_PORT=8079 scripts/demo &
    python3 docs/screenshot.py --url http://127.0.0.1:8079/odoo/construction-jobs

Needs ``requests``, ``websocket-client`` and Chromium (``apt-get install
chromium``). Exits non-zero, without writing the PNG, when the login fails or
the list does not render in time.
"""

import argparse
import base64
import itertools
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests
import websocket

DOCS = Path(__file__).resolve().parent
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--url",
        default="http://127.0.0.1:8079/odoo/construction-jobs",
        help="page to capture (default: %(default)s)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DOCS / "job-list.png",
        help="PNG to write (default: docs/job-list.png)",
    )
    parser.add_argument("--login", default="admin", help="user (default: %(default)s)")
    parser.add_argument("--password", default="admin", help="password (default: %(default)s)")
    parser.add_argument("--db", default="construction_demo", help="database (default: %(default)s)")
    parser.add_argument(
        "--min-rows",
        type=int,
        default=2,
        help="list rows to wait for (default: 2, admin's J-1001 and J-1002; J-2001 belongs "
        "to Summit Mechanical, a company admin is not a member of)",
    )
    parser.add_argument("--size", default="1400,800", help="window size (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait (default: 60)")
    parser.add_argument("--chromium", help="browser binary (default: the first one on the PATH)")
    return parser.parse_args(argv)


def authenticate(base_url, db, login, password):
    """Log in over JSON-RPC and return the session id."""
    response = requests.post(
        f"{base_url}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"db": db, "login": login, "password": password},
        },
        timeout=30,
    )
    response.raise_for_status()
    body = response.json()
    if body.get("error") or not (body.get("result") or {}).get("uid"):
        message = (body.get("error") or {}).get("data", {}).get("message", "no uid returned")
        raise SystemExit(f"login as {login!r} on {db!r} failed: {message}")
    return response.cookies["session_id"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DevTools:
    """A minimal DevTools protocol client over one page's websocket."""

    def __init__(self, ws_url, timeout):
        self.ws = websocket.create_connection(ws_url, timeout=timeout, suppress_origin=True)
        self.ids = itertools.count(1)

    def call(self, method, **params):
        call_id = next(self.ids)
        self.ws.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:  # skip the events until our answer
            message = json.loads(self.ws.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def close(self):
        self.ws.close()


def start_browser(binary, port, profile, size):
    process = subprocess.Popen(
        [
            binary,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={profile}",
            f"--window-size={size}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{binary} exited with code {process.returncode}")
        try:
            targets = requests.get(f"http://127.0.0.1:{port}/json/list", timeout=2).json()
            pages = [t for t in targets if t.get("type") == "page"]
            if pages:
                return process, pages[0]["webSocketDebuggerUrl"]
        except requests.RequestException:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{binary} did not open its DevTools port {port}")


def capture(args, session_id, binary):
    """Open args.url with the session cookie and return the PNG bytes."""
    profile = tempfile.mkdtemp(prefix="screenshot-chromium-")
    process, ws_url = start_browser(binary, free_port(), profile, args.size)
    tools = None
    try:
        tools = DevTools(ws_url, timeout=args.timeout)
        tools.call("Network.enable")
        tools.call(
            "Network.setCookie",
            name="session_id",
            value=session_id,
            url=args.url,
            path="/",
            httpOnly=True,
        )
        # Headless Chromium takes its window decorations off --window-size:
        # pin the viewport so that the PNG has exactly that size.
        width, height = (int(n) for n in args.size.split(","))
        tools.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        tools.call("Page.enable")
        tools.call("Page.navigate", url=args.url)
        rows = "document.querySelectorAll('.o_data_row').length"
        deadline = time.monotonic() + args.timeout
        while (tools.evaluate(rows) or 0) < args.min_rows:
            if tools.evaluate("!!document.querySelector('.oe_login_form')"):
                raise SystemExit(f"{args.url} shows the login page: the session was refused")
            if time.monotonic() > deadline:
                title = tools.evaluate("document.title")
                raise SystemExit(
                    f"fewer than {args.min_rows} list rows after {args.timeout:.0f} s "
                    f"(page title {title!r})"
                )
            time.sleep(0.5)
        # Let web fonts and the last re-render settle.
        tools.evaluate("document.fonts.ready.then(() => true)")
        time.sleep(1)
        shot = tools.call("Page.captureScreenshot", format="png")
        return base64.b64decode(shot["data"])
    finally:
        if tools:
            tools.close()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)


def main(argv=None):
    args = parse_args(argv)
    binary = args.chromium or next(filter(None, map(shutil.which, BROWSERS)), None)
    if not binary:
        raise SystemExit("no Chromium found: apt-get install -y chromium, or pass --chromium")
    parts = urlsplit(args.url)
    session_id = authenticate(
        f"{parts.scheme}://{parts.netloc}", args.db, args.login, args.password
    )
    png = capture(args, session_id, binary)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(png)
    print(f"wrote {args.output} ({len(png)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
