"""clickhouse-front: the part of ClickHouse's HTTP interface that Langfuse's ClickHouse client
(@clickhouse/client) uses, served from the ClickHouse engine itself (chDB) for machines where
no ClickHouse server new enough can be installed. The one non-stock part of the local
Langfuse: queries run one at a time and there is no native protocol (port 9000).

Speaks: GET /ping, GET /?query=..., POST / with the query as body, POST /?query=INSERT ...
FORMAT X with the rows as body, param_<name> query parameters, settings as URL parameters,
gzip request bodies, gzip responses when asked, user/password by header, basic auth or URL,
and ClickHouse's error shape (status, X-ClickHouse-Exception-Code, "Code: N. DB::Exception").

Env: FRONT_HOST (127.0.0.1), FRONT_PORT, FRONT_DATA (data directory), FRONT_USER,
FRONT_PASSWORD, FRONT_COMPATIBILITY (ClickHouse version whose defaults to use),
FRONT_RECORD (optional: append every request and its answer as JSON lines, for fixtures).
"""

import base64
import gzip
import json
import os
import signal
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from engine import Engine, EngineError

CONTENT_TYPES = {"JSON": "application/json", "JSONEachRow": "application/x-ndjson"}
RECORD_LIMIT = 64 * 1024


class Recorder:
    def __init__(self, path):
        self._file = open(path, "a", encoding="utf-8") if path else None
        self._lock = threading.Lock()

    def write(self, entry):
        if not self._file:
            return
        with self._lock:
            self._file.write(json.dumps(entry) + "\n")
            self._file.flush()


def make_handler(engine, user, password, recorder):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "clickhouse-front"

        def log_message(self, fmt, *args):  # access logs would drown the real errors
            pass

        def _credentials(self, params):
            if "X-ClickHouse-User" in self.headers:
                return self.headers["X-ClickHouse-User"], self.headers.get("X-ClickHouse-Key", "")
            auth = self.headers.get("Authorization", "")
            if auth.startswith("Basic "):
                name, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
                return name, secret
            return params.get("user", "default"), params.get("password", "")

        def _read_body(self):
            # The client streams inserts with chunked transfer encoding: a body left unread
            # would be parsed as the next request on this keep-alive connection.
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                parts = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass  # trailers
                        return b"".join(parts)
                    parts.append(self.rfile.read(size))
                    self.rfile.readline()  # the CRLF after each chunk
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _send(self, status, body, headers=None):
            accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
            if self._compress and accepts_gzip and body:
                body = gzip.compress(body, 1)
                headers = {**(headers or {}), "Content-Encoding": "gzip"}
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _error(self, error, query_id):
            body = (str(error).rstrip() + f" (version {engine.version})\n").encode()
            self._send(error.status, body, {
                "X-ClickHouse-Exception-Code": str(error.code),
                "X-ClickHouse-Query-Id": query_id,
                "Content-Type": "text/plain; charset=UTF-8",
            })
            return error.status, body

        def _handle(self, method):
            url = urlsplit(self.path)
            params = dict(parse_qsl(url.query, keep_blank_values=True))
            self._compress = params.get("enable_http_compression") == "1"
            if url.path in ("/ping", "/replicas_status") and method == "GET":
                return self._send(200, b"Ok.\n")
            if url.path != "/":
                return self._send(404, b"There is no handle " + url.path.encode() + b"\n")
            body = self._read_body()
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            query_id = params.get("query_id") or str(uuid.uuid4())
            name, secret = self._credentials(params)
            if name != user or secret != password:
                status, answer = self._error(EngineError(516, f"Code: 516. DB::Exception: {name}: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)"), query_id)
                return self._record(method, url, params, body, status, answer)
            text = body.decode("utf-8", "replace")
            sql = (params["query"] + ("\n" + text if text else "")) if "query" in params else text
            try:
                result = engine.execute(sql, params, params.get("default_format", "TabSeparated"))
            except EngineError as error:
                status, answer = self._error(error, query_id)
                return self._record(method, url, params, body, status, answer)
            self._send(200, result.body, {
                "Content-Type": CONTENT_TYPES.get(result.format, "text/plain") + "; charset=UTF-8",
                "X-ClickHouse-Format": result.format,
                "X-ClickHouse-Query-Id": query_id,
                "X-ClickHouse-Summary": json.dumps(result.summary),
                "X-ClickHouse-Timezone": "UTC",
            })
            self._record(method, url, params, body, 200, result.body)

        def _record(self, method, url, params, body, status, answer):
            redacted = {k: ("<redacted>" if k == "password" else v) for k, v in params.items()}
            recorder.write({
                "method": method, "path": url.path, "params": redacted,
                "body": body[:RECORD_LIMIT].decode("utf-8", "replace"),
                "status": status, "response": answer[:RECORD_LIMIT].decode("utf-8", "replace"),
            })

        def do_GET(self):
            self._handle("GET")

        def do_POST(self):
            self._handle("POST")

    return Handler


def main():
    host = os.environ.get("FRONT_HOST", "127.0.0.1")
    port = int(os.environ["FRONT_PORT"])
    engine = Engine(os.environ["FRONT_DATA"], os.environ.get("FRONT_COMPATIBILITY", "25.12"))
    handler = make_handler(engine, os.environ.get("FRONT_USER", "default"),
                           os.environ.get("FRONT_PASSWORD", ""), Recorder(os.environ.get("FRONT_RECORD")))
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True

    def stop(_signum, _frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"clickhouse-front: engine {engine.version} on http://{host}:{port}", flush=True)
    server.serve_forever()
    engine.close()
    sys.exit(0)


if __name__ == "__main__":
    main()
