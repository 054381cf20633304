"""An HTTPS page and a WSS echo on one loopback port, for tlsforge's browser tests.

    wss_echo.py CERT KEY

Serves https://127.0.0.1:PORT/ (a page titled "tlsforge test page") and, on the same origin, a
WebSocket that answers every message with "echo: MESSAGE". Prints the port on stdout once it
listens, then runs until killed. Python `websockets` 10+ (Debian: python3-websockets).
"""

import asyncio
import http
import ssl
import sys

import websockets

PAGE = b"<!doctype html><title>tlsforge test page</title><p>served over TLS</p>"


async def echo(websocket, path=None):
    async for message in websocket:
        await websocket.send("echo: " + message)


def page(path, headers):
    """Plain requests get the page; WebSocket upgrades go on to the echo."""
    if headers.get("Upgrade", "").lower() == "websocket":
        return None
    return http.HTTPStatus.OK, [("Content-Type", "text/html"), ("Connection", "close")], PAGE


async def main():
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[1], sys.argv[2])
    async with websockets.serve(echo, "127.0.0.1", 0, ssl=context, process_request=page) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        print(port, flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main())
