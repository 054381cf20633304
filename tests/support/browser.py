"""Drive a real headless browser the way a person would, for tlsforge's tests.

    browser.py chromium|firefox --home DIR [--profile DIR] [--host NAME] URL [WSS_URL]

Starts the browser with HOME=DIR (so it reads the trust stores of that home, and nothing of this
machine's user), opens URL, and, when the page loaded, opens a WebSocket to WSS_URL from the page
and sends one message. Prints one JSON object on stdout:

    {"loaded": true|false, "error": "net::ERR_CERT_AUTHORITY_INVALID" | null,
     "title": "...", "websocket": "echo: ..." | "error: ..." | null}

Chromium is driven through the DevTools protocol, Firefox through WebDriver BiDi, each with the
Python `websockets` package (Debian: python3-websockets; the asyncio client of version 10 and
later). Every wait is bounded; the browser is killed on the way out.
"""

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

import websockets

START_TIMEOUT = 60
STEP_TIMEOUT = 45

# The page reports its WebSocket round trip (or the failure) as the promise's value.
WEBSOCKET_ROUND_TRIP = """
new Promise((resolve) => {
  let ws;
  try { ws = new WebSocket(%s); } catch (e) { resolve("error: " + e); return; }
  const timer = setTimeout(() => resolve("error: timeout"), 15000);
  ws.onopen = () => ws.send("ping from the page");
  ws.onmessage = (event) => { clearTimeout(timer); resolve("echo: " + event.data); ws.close(); };
  ws.onerror = () => { clearTimeout(timer); resolve("error: the WebSocket failed"); };
})
"""


def browser_env(home):
    env = {
        "HOME": home,
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        # No display: headless only. No session bus: nothing to reach.
        "MOZ_HEADLESS": "1",
        "MOZ_CRASHREPORTER_DISABLE": "1",
    }
    return env


async def read_endpoint(proc, pattern):
    """The ws:// address the browser prints on stderr once its protocol server listens."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + START_TIMEOUT
    seen = []
    while loop.time() < deadline:
        try:
            line = await asyncio.wait_for(proc.stderr.readline(), deadline - loop.time())
        except asyncio.TimeoutError:
            break
        if not line:
            break
        text = line.decode(errors="replace")
        seen.append(text)
        match = re.search(pattern, text)
        if match:
            # Keep draining stderr so the browser never blocks on a full pipe.
            asyncio.ensure_future(drain(proc.stderr))
            return match.group(1)
    raise RuntimeError("the browser did not start its protocol server:\n" + "".join(seen[-20:]))


async def drain(stream):
    while await stream.readline():
        pass


class Connection:
    """Commands and answers over one WebSocket, matched by id; events are skipped."""

    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0

    async def call(self, method, params, session=None, timeout=STEP_TIMEOUT):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        await self.ws.send(json.dumps(message))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), max(0.1, deadline - loop.time()))
            answer = json.loads(raw)
            if answer.get("id") == self.next_id:
                return answer


async def chromium(args):
    user_data = tempfile.mkdtemp(prefix="tlsforge-chromium.")
    argv = [
        "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--disable-quic", "--remote-debugging-port=0",
        "--user-data-dir=" + user_data, "about:blank",
    ]
    if args.host:
        argv.insert(1, "--host-resolver-rules=MAP %s 127.0.0.1" % args.host)
    proc = await asyncio.create_subprocess_exec(
        *argv, env=browser_env(args.home), stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        endpoint = await read_endpoint(proc, r"DevTools listening on (ws://\S+)")
        async with websockets.connect(endpoint, max_size=None, open_timeout=STEP_TIMEOUT) as ws:
            cdp = Connection(ws)
            target = (await cdp.call("Target.createTarget", {"url": "about:blank"}))["result"]["targetId"]
            attached = await cdp.call("Target.attachToTarget", {"targetId": target, "flatten": True})
            session = attached["result"]["sessionId"]
            navigated = await cdp.call("Page.navigate", {"url": args.url}, session)
            error = navigated.get("result", {}).get("errorText") or None
            result = {"loaded": error is None, "error": error, "title": None, "websocket": None}
            if error is None:
                result["title"] = await evaluate_cdp(cdp, session, WAIT_FOR_LOAD)
                if args.wss:
                    result["websocket"] = await evaluate_cdp(
                        cdp, session, WEBSOCKET_ROUND_TRIP % json.dumps(args.wss))
            return result
    finally:
        stop(proc)
        shutil.rmtree(user_data, ignore_errors=True)


# Resolves once the document has loaded, with its title (the body's text when there is none).
WAIT_FOR_LOAD = """
new Promise((resolve) => {
  const done = () => resolve(document.title || (document.body ? document.body.innerText.slice(0, 200) : ""));
  if (document.readyState === "complete") done(); else window.addEventListener("load", done);
})
"""


async def evaluate_cdp(cdp, session, expression):
    answer = await cdp.call(
        "Runtime.evaluate",
        {"expression": expression, "awaitPromise": True, "returnByValue": True},
        session)
    result = answer.get("result", {})
    if "exceptionDetails" in result:
        return "error: " + json.dumps(result["exceptionDetails"].get("text"))
    return result.get("result", {}).get("value")


async def firefox(args):
    argv = ["firefox-esr", "--headless", "--remote-debugging-port", "0", "--no-remote"]
    if args.profile:
        argv += ["--profile", args.profile]
    argv.append("about:blank")
    proc = await asyncio.create_subprocess_exec(
        *argv, env=browser_env(args.home), stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        endpoint = await read_endpoint(proc, r"WebDriver BiDi listening on (ws://\S+)")
        async with websockets.connect(endpoint + "/session", max_size=None,
                                      open_timeout=STEP_TIMEOUT) as ws:
            bidi = Connection(ws)
            await bidi.call("session.new", {"capabilities": {}})
            tree = await bidi.call("browsingContext.getTree", {})
            context = tree["result"]["contexts"][0]["context"]
            navigated = await bidi.call(
                "browsingContext.navigate", {"context": context, "url": args.url, "wait": "complete"})
            error = None
            if "error" in navigated:
                error = firefox_error(navigated.get("message", navigated["error"]))
            result = {"loaded": error is None, "error": error, "title": None, "websocket": None}
            if error is None:
                result["title"] = await evaluate_bidi(bidi, context, WAIT_FOR_LOAD)
                if args.wss:
                    result["websocket"] = await evaluate_bidi(
                        bidi, context, WEBSOCKET_ROUND_TRIP % json.dumps(args.wss))
            try:
                await bidi.call("browser.close", {}, timeout=10)
            except Exception:
                pass
            return result
    finally:
        stop(proc)


def firefox_error(message):
    """The NSS error code of a certificate error page (`about:certerror?e=nssBadCert&...`)."""
    codes = re.findall(r"(?:SEC|SSL|MOZILLA_PKIX)_ERROR_[A-Z0-9_]+", message)
    if codes:
        return codes[0]
    match = re.search(r"about:(?:cert|net)error\?e=(\w+)", message)
    return match.group(1) if match else message[:300]


async def evaluate_bidi(bidi, context, expression):
    answer = await bidi.call(
        "script.evaluate",
        {"expression": expression, "target": {"context": context}, "awaitPromise": True})
    if "error" in answer:
        return "error: " + answer.get("message", answer["error"])
    result = answer["result"]
    if result.get("type") == "exception":
        return "error: " + json.dumps(result.get("exceptionDetails", {}).get("text"))
    return result["result"].get("value")


def stop(proc):
    """Kill the browser and everything it started (it runs in its own process group)."""
    if proc.returncode is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("browser", choices=["chromium", "firefox"])
    parser.add_argument("--home", required=True)
    parser.add_argument("--profile")
    parser.add_argument("--host", help="resolve this name to 127.0.0.1 (Chromium)")
    parser.add_argument("url")
    parser.add_argument("wss", nargs="?")
    args = parser.parse_args()
    run = chromium if args.browser == "chromium" else firefox
    result = await asyncio.wait_for(run(args), START_TIMEOUT + 4 * STEP_TIMEOUT)
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())
