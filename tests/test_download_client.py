"""`ogi-download` against a release served on 127.0.0.1: pointers, resume, corruption."""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipelines import download_client as dc

VERSION = "v2026.03.31"


def _make_release(root: Path, pointer: str) -> dict[str, bytes]:
    rel = root / VERSION
    files = {
        "parquet/reports.parquet": os.urandom(300_000),
        "csv/reports.csv": ("region_code,report_year\n" + "110000,2024\n" * 20_000).encode(),
        "datapackage.json": json.dumps({"name": "ogi-reports", "version": VERSION}).encode(),
        "index.html": b"<html><body>release</body></html>",
    }
    for name, data in files.items():
        (rel / name).parent.mkdir(parents=True, exist_ok=True)
        (rel / name).write_bytes(data)
    sums = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in sorted(files.items()))
    (rel / "SHA256SUMS").write_text(sums)
    if pointer == "json":
        (root / "latest.json").write_text(json.dumps({"version": VERSION}))
    elif pointer == "text":
        (root / "latest").write_text(VERSION + "\n")
    elif pointer == "symlink":
        (root / "latest").symlink_to(VERSION, target_is_directory=True)
    return files


class _Server:
    """A static server with HTTP Range support and injectable faults, like a CDN that misbehaves."""

    def __init__(self, root: Path):
        self.root = root
        self.requests: list[tuple[str, str, str | None]] = []  # (method, path, Range header)
        self.break_once: dict[str, int] = {}   # path -> bytes to send before dropping the connection
        self.corrupt: set[str] = set()         # paths served with one byte flipped
        self.ignore_range = False
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *a, **kw):
                super().__init__(*a, directory=str(server.root), **kw)

            def log_message(self, *args):
                pass

            def do_HEAD(self):
                server.requests.append(("HEAD", self.path, None))
                super().do_HEAD()

            def do_GET(self):
                rng = self.headers.get("Range")
                server.requests.append(("GET", self.path, rng))
                path = Path(self.translate_path(self.path))
                if not path.is_file():
                    return super().do_GET()
                data = path.read_bytes()
                if self.path in server.corrupt:
                    data = bytes([data[0] ^ 0xFF]) + data[1:]
                start = 0
                m = re.match(r"bytes=(\d+)-$", rng or "")
                if m and not server.ignore_range:
                    start = int(m.group(1))
                    if start >= len(data):
                        self.send_response(416)
                        self.end_headers()
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                else:
                    self.send_response(200)
                body = data[start:]
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Accept-Ranges", "bytes")
                self.end_headers()
                cut = server.break_once.pop(self.path, None)
                if cut is not None:
                    self.wfile.write(body[:cut])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.mark.parametrize("pointer", ["json", "text", "symlink"])
def test_latest_pointer_forms_resolve_and_verify(tmp_path, pointer):
    files = _make_release(tmp_path / "www", pointer)
    with _Server(tmp_path / "www") as srv:
        out = dc.download_release("latest", srv.url, tmp_path / "dl", progress=False)
    assert out == tmp_path / "dl" / VERSION
    for name, data in files.items():
        assert (out / name).read_bytes() == data
    assert (out / "SHA256SUMS").is_file()
    assert not list(out.rglob("*.part"))


def test_explicit_version_and_unknown_names(tmp_path):
    _make_release(tmp_path / "www", pointer="none")
    with _Server(tmp_path / "www") as srv:
        assert dc.download_release(VERSION, srv.url, tmp_path / "dl", progress=False).is_dir()
        with pytest.raises(dc.DownloadError, match="not found"):
            dc.download_release("nightly", srv.url, tmp_path / "dl", progress=False)
        with pytest.raises(dc.DownloadError, match="unknown release name"):
            dc.download_release("v2026-01-01", srv.url, tmp_path / "dl", progress=False)


def test_broken_transfer_is_resumed_with_range(tmp_path):
    files = _make_release(tmp_path / "www", "json")
    with _Server(tmp_path / "www") as srv:
        srv.break_once[f"/{VERSION}/parquet/reports.parquet"] = 100_000
        out = dc.download_release("latest", srv.url, tmp_path / "dl", progress=False)
    assert (out / "parquet/reports.parquet").read_bytes() == files["parquet/reports.parquet"]
    gets = [r for r in srv.requests if r[0] == "GET" and r[1].endswith("reports.parquet")]
    assert len(gets) == 2 and gets[0][2] is None
    resumed_at = int(gets[1][2].removeprefix("bytes=").rstrip("-"))
    assert 0 < resumed_at <= 100_000  # resumed from the bytes kept, not from zero


def test_part_file_from_killed_run_is_resumed(tmp_path):
    files = _make_release(tmp_path / "www", "json")
    data = files["csv/reports.csv"]
    part = tmp_path / "dl" / VERSION / "csv" / "reports.csv.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(data[:5000])
    with _Server(tmp_path / "www") as srv:
        out = dc.download_release("latest", srv.url, tmp_path / "dl", progress=False)
        first = list(srv.requests)
        # a second run finds everything verified and downloads nothing
        dc.download_release("latest", srv.url, tmp_path / "dl", progress=False)
        second = srv.requests[len(first):]
    assert (out / "csv/reports.csv").read_bytes() == data
    assert ("GET", f"/{VERSION}/csv/reports.csv", "bytes=5000-") in first
    assert not [r for r in second if r[0] == "GET" and "/csv/" in r[1]]


def test_server_ignoring_range_restarts_cleanly(tmp_path):
    files = _make_release(tmp_path / "www", "json")
    part = tmp_path / "dl" / VERSION / "csv" / "reports.csv.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(b"garbage that must not survive")
    with _Server(tmp_path / "www") as srv:
        srv.ignore_range = True
        out = dc.download_release("latest", srv.url, tmp_path / "dl", progress=False)
    assert (out / "csv/reports.csv").read_bytes() == files["csv/reports.csv"]


def test_corrupted_file_fails_verification_and_is_removed(tmp_path, capsys):
    _make_release(tmp_path / "www", "json")
    with _Server(tmp_path / "www") as srv:
        srv.corrupt.add(f"/{VERSION}/csv/reports.csv")
        rc = dc.main(["latest", "--base-url", srv.url, "--dest", str(tmp_path / "dl"), "--quiet"])
    err = capsys.readouterr().err
    assert rc == 1
    assert "csv/reports.csv" in err and "SHA256SUMS" in err
    out = tmp_path / "dl" / VERSION
    assert not (out / "csv/reports.csv").exists()
    assert (out / "parquet/reports.parquet").is_file()  # the good files are kept


def test_corrupted_local_copy_is_replaced(tmp_path):
    files = _make_release(tmp_path / "www", "json")
    local = tmp_path / "dl" / VERSION / "index.html"
    local.parent.mkdir(parents=True)
    local.write_bytes(b"tampered")
    with _Server(tmp_path / "www") as srv:
        dc.download_release("latest", srv.url, tmp_path / "dl", progress=False)
    assert local.read_bytes() == files["index.html"]


def test_malformed_sha256sums_is_rejected():
    with pytest.raises(dc.DownloadError, match="outside the release"):
        dc.parse_sha256sums("0" * 64 + "  ../etc/passwd\n")
    with pytest.raises(dc.DownloadError, match="malformed"):
        dc.parse_sha256sums("not a checksum line\n")


def test_console_script_progress_bar(tmp_path):
    import subprocess
    import sys

    _make_release(tmp_path / "www", "symlink")
    exe = Path(sys.executable).parent / "ogi-download"
    with _Server(tmp_path / "www") as srv:
        proc = subprocess.run([str(exe), "latest", "--base-url", srv.url, "--dest", str(tmp_path / "dl")],
                              capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(tmp_path / "dl" / VERSION)
    assert "B/s" in proc.stderr or "100%" in proc.stderr  # tqdm progress bar
