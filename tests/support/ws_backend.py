"""A plain ws:// echo backend for the proxy tests, on 127.0.0.1; prints its port."""
import asyncio
import socket
import sys

import websockets


async def echo(ws, path=None):
    async for message in ws:
        await ws.send("echo: " + message)


async def main():
    sock = socket.socket()
    sock.bind(("127.0.0.1", int(sys.argv[1])))
    async with websockets.serve(echo, sock=sock):
        print(sock.getsockname()[1], flush=True)
        await asyncio.Future()


asyncio.run(main())
