"""A plain-HTTP backend for the proxy tests, on 127.0.0.1:PORT (0: a free one, printed).

GET  /slow?s=N   answers after N seconds
POST *           reads the body as it streams in; answers its length and SHA-256
GET  /big?mb=N   streams N MiB of zeros in chunks
GET  /trickle?gap=N  two chunks, N seconds apart (as server-sent events arrive)
GET  /page.html  a page whose script opens wss:// on its own origin (path /ws/), sends a message,
                 and posts what it found to the proxy's check endpoint
GET  *           answers the request line, the headers and the proxy's source port as JSON;
                 with ?close-idle-after=S the connection is closed once idle for S seconds
Everything else about a request is echoed as JSON, so tests can see what the proxy forwarded.
"""
import hashlib
import http.server
import json
import sys
import time
import urllib.parse


PAGE = b"""<!doctype html><html><head><meta charset="utf-8"><title>app</title></head><body><script>
const found = { page: "check", secure_context: window.isSecureContext === true,
  media_devices: !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia), wss_echo: false };
function report() {
  fetch("/.well-known/tlsforge/results", { method: "POST", headers: { "Content-Type": "text/plain" },
    body: JSON.stringify(found) });
}
const ws = new WebSocket("wss://" + location.host + "/ws/app");
const timer = setTimeout(report, 8000);
ws.onopen = () => ws.send("from the page");
ws.onmessage = (event) => { clearTimeout(timer); found.wss_echo = event.data === "echo: from the page"; report(); };
ws.onerror = () => { clearTimeout(timer); report(); };
</script></body></html>"""


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, status, payload, headers=()):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        if url.path == "/slow":
            time.sleep(float(query.get("s", ["1"])[0]))
        if url.path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for n, event in enumerate([b"data: one\n\n", b"data: two\n\n"]):
                if n:
                    time.sleep(float(query.get("gap", ["1"])[0]))
                self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
            return
        if url.path == "/page.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)
            return
        if url.path == "/big":
            size = int(query.get("mb", ["1"])[0]) * 1024 * 1024
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = b"\0" * 65536
            for _ in range(size // len(chunk)):
                self.wfile.write(chunk)
            return
        if "close-idle-after" in query:
            self.connection.settimeout(float(query["close-idle-after"][0]))
        self.answer(200, {"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                          "peer_port": self.client_address[1]},
                    [("Connection", "keep-alive"), ("Keep-Alive", "timeout=5"), ("X-Backend", "yes")])

    def do_POST(self):
        digest = hashlib.sha256()
        length = 0
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    break
                data = self.rfile.read(size)
                digest.update(data)
                length += len(data)
                self.rfile.readline()
        else:
            left = int(self.headers.get("Content-Length", "0"))
            while left:
                data = self.rfile.read(min(left, 65536))
                if not data:
                    break
                digest.update(data)
                length += len(data)
                left -= len(data)
        self.answer(200, {"length": length, "sha256": digest.hexdigest(), "headers": dict(self.headers.items())})

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
