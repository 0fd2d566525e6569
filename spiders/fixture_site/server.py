"""Serve a built demo site on 127.0.0.1, strictly: every request is logged, and a request for a
path the site does not have (other than its deliberately broken links) is recorded in
`unexpected` so tests can fail on it. Supports ETag / Last-Modified (304), the Hanweb
dataproxy.jsp list API, the gkmlpt JSON API, challenge pages and a huge streamed file."""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from spiders.fixture_site.site import route_key

CHALLENGE_BODY = (
    "<html><head><meta charset=\"utf-8\"></head><body><script>"
    "document.cookie=('__jsl_clearance_s=1700000000.123|0|'+(function(){var _0x=['a','b'];return _0x.join('')})()"
    "+';max-age=3600;path=/');location.href=location.pathname+location.search</script></body></html>"
)


class ServedSite(str):
    """The base URL (a str) plus the server's request log and strictness record."""

    requests: list[dict]
    unexpected: list[dict]
    server: ThreadingHTTPServer

    def paths(self) -> list[str]:
        return [r["path"] for r in self.requests]

    def switch(self, site_dir: str | Path) -> None:
        """Serve another build of the site (same URLs) from now on."""
        self.server.load(Path(site_dir))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def load(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.www = site_dir / "www"
        self.config = json.loads((site_dir / "site.json").read_text(encoding="utf-8"))
        self.broken = set(self.config["broken"])


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet
        pass

    def do_HEAD(self):
        self._handle(head=True)

    def do_GET(self):
        self._handle()

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self._body = self.rfile.read(length) if length else b""
        self._handle()

    # ------------------------------------------------------------------------------------------
    def _log(self, path: str, query: str, status: int, expected: bool = True) -> None:
        entry = {"method": self.command, "path": path, "query": query, "status": status,
                 "user_agent": self.headers.get("User-Agent", "")}
        with self.server.lock:
            self.server.site.requests.append(entry)
            if not expected:
                self.server.site.unexpected.append(entry)

    def _send(self, status: int, body: bytes, ctype: str, headers: dict | None = None, head: bool = False):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if not head and body:
            self.wfile.write(body)

    def _handle(self, head: bool = False):
        parts = urlsplit(self.path)
        path, query = unquote(parts.path), parts.query
        cfg = self.server.config
        if path == "/robots.txt":
            self._log(path, query, 200)
            return self._send(200, cfg["robots"].encode(), "text/plain", head=head)
        for prefix, status in cfg["challenges"].items():
            if path.startswith(prefix):
                self._log(path, query, status)
                return self._send(status, CHALLENGE_BODY.encode(), "text/html", {
                    "Set-Cookie": "__jsluid_s=8f1e2d3c4b5a; path=/; HttpOnly", "X-Via-JSL": "demo,-"}, head)
        if path in cfg["hanweb_proxy"]:
            return self._hanweb(path, query, cfg["hanweb_proxy"][path])
        if path in cfg["huge"]:
            return self._huge(path, query, cfg["huge"][path], head)
        if path in self.server.broken:
            self._log(path, query, 404)
            return self._send(404, b"<html><body>404 Not Found</body></html>", "text/html", head=head)
        routed = cfg["routes"].get(route_key(path, query))
        file_path = routed or path
        target = self.server.www / file_path.lstrip("/")
        if file_path.endswith("/"):
            target = next((target / n for n in ("index.html", "index.htm", "index.shtml") if (target / n).is_file()),
                          target / "index.html")
            file_path = "/" + str(target.relative_to(self.server.www))
        if query and not routed and (self.server.www / path.lstrip("/")).is_file() and path in cfg["content_types"]:
            pass  # a query on a static file is served as the file (as static servers do)
        elif query and not routed:
            self._log(path, query, 404, expected=False)
            return self._send(404, b"not found", "text/plain", head=head)
        if not target.is_file():
            self._log(path, query, 404, expected=False)
            return self._send(404, b"<html><body>404 Not Found</body></html>", "text/html", head=head)
        data = target.read_bytes()
        etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        mtime = int(target.stat().st_mtime)
        headers = {"ETag": etag, "Last-Modified": formatdate(mtime, usegmt=True)}
        inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
        not_modified = inm == etag if inm else False
        if not inm and ims:
            with contextlib.suppress(TypeError, ValueError):
                not_modified = parsedate_to_datetime(ims).timestamp() >= mtime
        ctype = cfg["content_types"].get(file_path, "application/octet-stream")
        if not_modified:
            self._log(path, query, 304)
            self.send_response(304)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            return None
        self._log(path, query, 200)
        return self._send(200, data, ctype, headers, head)

    def _hanweb(self, path: str, query: str, proxy: dict):
        params = dict(parse_qsl(query))
        form = dict(parse_qsl(getattr(self, "_body", b"").decode("utf-8", "replace")))
        ok = form.get("columnid") == proxy["columnid"] and params.get("startrecord", "").isdigit()
        self._log(path, query, 200 if ok else 400, expected=ok)
        if not ok:
            return self._send(400, b"bad request", "text/plain")
        start, end = int(params["startrecord"]), int(params.get("endrecord") or params["startrecord"])
        records = proxy["records"][start - 1:end]
        xml = ('<?xml version="1.0" encoding="UTF-8"?><datastore><nextgroup><![CDATA[]]></nextgroup>'
               f"<totalrecord>{len(proxy['records'])}</totalrecord><totalpage>"
               f"{-(-len(proxy['records']) // int(params.get('perpage') or 15))}</totalpage><recordset>"
               + "".join(f"<record><![CDATA[{r}]]></record>" for r in records) + "</recordset></datastore>")
        return self._send(200, xml.encode("utf-8"), "text/xml;charset=UTF-8")

    def _huge(self, path: str, query: str, size: int, head: bool):
        self._log(path, query, 200)
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        if head:
            return
        chunk = b"%PDF-1.7\n" + b"0" * (1024 * 1024 - 9)
        sent = 0
        with contextlib.suppress(OSError):
            while sent < size:
                piece = chunk[: min(len(chunk), size - sent)]
                self.wfile.write(piece)
                sent += len(piece)
        self.close_connection = True


@contextlib.contextmanager
def serve(site_dir: str | Path, host: str = "127.0.0.1", port: int = 0):
    """Serve `site_dir` (a built site) in a thread; yields the base URL as a `ServedSite`."""
    server = _Server((host, port), _Handler)
    server.load(Path(site_dir))
    server.lock = threading.Lock()
    site = ServedSite(f"http://{host}:{server.server_address[1]}")
    site.requests, site.unexpected, site.server = [], [], server
    server.site = site
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    """python -m spiders.fixture_site.server SITE_DIR [PORT]: serve a built site until Ctrl-C."""
    import sys
    import time

    args = argv if argv is not None else sys.argv[1:]
    with serve(args[0], port=int(args[1]) if len(args) > 1 else 0) as site:
        print(site, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())



