"""`ogi-download`: fetch a published release over HTTP(S), resume, and verify it.

A release is a directory `vYYYY.MM.DD/` listed by its `SHA256SUMS`. The names `latest` and
`nightly` are pointers written by the publisher; over plain HTTP they are seen either as a
small pointer file (`latest.json` holding {"version": ...}, or a text file `latest` holding
the version) or as a directory (a symlink the server resolves). The client tries them in
that order, so it works with any static file server (nginx, S3, `python -m http.server`).

Downloads go to `<file>.part` first and are resumed with an HTTP Range request when a
transfer breaks (or a previous run was killed); every file is checked against SHA256SUMS
before it is moved into place, and a file that fails the check is fetched once more from
scratch before the client gives up with a non-zero exit.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

import requests
from tqdm import tqdm

DEFAULT_BASE_URL = os.environ.get("OGI_RELEASES_URL", "http://127.0.0.1:8000/")
VERSION_RE = re.compile(r"^v\d{4}\.\d{2}\.\d{2}(\.\d+)?$")  # a second build that day: vYYYY.MM.DD.2
POINTER_NAMES = ("latest", "nightly")
CHUNK = 1 << 16


class DownloadError(RuntimeError):
    """A release could not be fetched or did not verify."""


@dataclass(frozen=True)
class Release:
    """A resolved release: the name asked for, the directory name to store it under, its URL."""

    requested: str
    version: str
    url: str  # ends with '/'


def _join(base: str, *parts: str) -> str:
    base = base if base.endswith("/") else base + "/"
    return base + "/".join(quote(p) for p in parts)


def resolve_release(session: requests.Session, base_url: str, name: str, timeout: float = 30) -> Release:
    """Turn `latest` / `nightly` / `vYYYY.MM.DD` into the URL of a release directory."""
    if VERSION_RE.match(name):
        return Release(name, name, _join(base_url, name) + "/")
    if name not in POINTER_NAMES:
        raise DownloadError(f"unknown release name {name!r}: use latest, nightly or vYYYY.MM.DD")
    # 1. latest.json: {"version": "v2026.01.31", ...}
    resp = session.get(_join(base_url, f"{name}.json"), timeout=timeout)
    if resp.status_code == 200:
        try:
            version = str(resp.json()["version"])
        except (ValueError, KeyError, TypeError) as exc:
            raise DownloadError(f"{name}.json has no 'version': {resp.text[:200]!r}") from exc
        return resolve_release(session, base_url, version, timeout)
    # 2. a text file `latest` holding the version (a server that shows symlinks as files)
    resp = session.get(_join(base_url, name), timeout=timeout)
    text = resp.text.strip() if resp.status_code == 200 else ""
    if VERSION_RE.match(text):
        return resolve_release(session, base_url, text, timeout)
    # 3. a directory `latest/` (a symlink resolved by the server)
    url = _join(base_url, name) + "/"
    if session.get(url + "SHA256SUMS", timeout=timeout).status_code == 200:
        version = name
        dp = session.get(url + "datapackage.json", timeout=timeout)
        if dp.status_code == 200:
            with contextlib.suppress(ValueError, AttributeError):
                version = str(dp.json().get("version") or name)
        if not VERSION_RE.match(version):
            version = f"v{version}" if VERSION_RE.match(f"v{version}") else name
        return Release(name, version, url)
    raise DownloadError(f"release {name!r} not found under {base_url} "
                        f"(tried {name}.json, {name} and {name}/SHA256SUMS)")


def parse_sha256sums(text: str) -> dict[str, str]:
    """`sha256sum` output (`<hex>  <path>` or `<hex> *<path>`) -> {relative path: hex}."""
    sums: dict[str, str] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        m = re.match(r"^([0-9a-fA-F]{64}) [ *](.+)$", line)
        if not m:
            raise DownloadError(f"SHA256SUMS line {lineno} is malformed: {line!r}")
        rel = PurePosixPath(m.group(2).strip())
        if rel.is_absolute() or ".." in rel.parts:
            raise DownloadError(f"SHA256SUMS names a path outside the release: {rel}")
        sums[str(rel)] = m.group(1).lower()
    if not sums:
        raise DownloadError("SHA256SUMS is empty")
    return sums


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def _fetch(session: requests.Session, url: str, dest: Path, bar: tqdm, retries: int, timeout: float) -> None:
    """Download `url` to `dest` via `dest.part`, resuming with Range after a broken transfer."""
    part = dest.with_name(dest.name + ".part")
    for attempt in range(retries + 1):
        have = part.stat().st_size if part.exists() else 0
        headers = {"Range": f"bytes={have}-"} if have else {}
        try:
            with session.get(url, headers=headers, stream=True, timeout=timeout) as resp:
                if resp.status_code == 416:  # .part already holds the whole file
                    break
                if resp.status_code == 200 and have:  # server ignored Range: start over
                    bar.update(-have)
                    have = 0
                elif resp.status_code not in (200, 206):
                    raise DownloadError(f"GET {url}: HTTP {resp.status_code}")
                with part.open("ab" if have else "wb") as fh:
                    for block in resp.iter_content(CHUNK):
                        fh.write(block)
                        bar.update(len(block))
            break
        except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
            if attempt == retries:
                raise DownloadError(f"GET {url}: gave up after {retries + 1} attempts ({exc})") from exc
            bar.write(f"transfer of {dest.name} broke ({type(exc).__name__}); resuming", file=sys.stderr)
            time.sleep(min(2**attempt * 0.2, 5))
    part.replace(dest)


def download_release(name: str = "latest", base_url: str = DEFAULT_BASE_URL, dest_dir: Path | str = ".",
                     retries: int = 5, timeout: float = 60, progress: bool = True,
                     session: requests.Session | None = None) -> Path:
    """Fetch release `name` into `dest_dir/<version>/`, verify every file, return that directory.

    Files already present with the right checksum are skipped, so re-running is cheap.
    """
    session = session or requests.Session()
    release = resolve_release(session, base_url, name, timeout)
    target = Path(dest_dir) / release.version
    target.mkdir(parents=True, exist_ok=True)
    resp = session.get(release.url + "SHA256SUMS", timeout=timeout)
    if resp.status_code != 200:
        raise DownloadError(f"GET {release.url}SHA256SUMS: HTTP {resp.status_code}")
    sums = parse_sha256sums(resp.text)

    todo = [rel for rel, digest in sums.items()
            if not ((target / rel).is_file() and sha256_file(target / rel) == digest)]
    total = 0
    for rel in todo:
        head = session.head(release.url + quote(rel), timeout=timeout, allow_redirects=True)
        total += int(head.headers.get("Content-Length", 0) or 0)
    bad: list[str] = []
    with tqdm(total=total or None, unit="B", unit_scale=True, unit_divisor=1024, disable=not progress,
              desc=f"{release.version}", file=sys.stderr) as bar:
        for rel in todo:
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            for fresh in (False, True):
                if fresh:  # checksum failed: the .part may hold bad bytes; fetch again from zero
                    path.unlink(missing_ok=True)
                _fetch(session, release.url + quote(rel), path, bar, retries, timeout)
                if sha256_file(path) == sums[rel]:
                    break
            else:
                path.unlink(missing_ok=True)
                bad.append(rel)
    (target / "SHA256SUMS").write_text(resp.text, encoding="utf-8")
    if bad:
        raise DownloadError(f"{len(bad)} file(s) failed the SHA256SUMS check and were removed: {', '.join(bad)}")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ogi-download", description=__doc__.split("\n\n")[0])
    parser.add_argument("release", nargs="?", default="latest", help="latest | nightly | vYYYY.MM.DD[.N]")
    parser.add_argument("--base-url", default=DEFAULT_BASE_URL,
                        help="URL of the directory holding the releases (env OGI_RELEASES_URL)")
    parser.add_argument("--dest", default=".", help="download into DEST/<version>/ (default: .)")
    parser.add_argument("--retries", type=int, default=5, help="resume attempts per file")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per HTTP request")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    try:
        path = download_release(args.release, args.base_url, args.dest, args.retries, args.timeout,
                                progress=not args.quiet)
    except (DownloadError, requests.RequestException) as exc:
        print(f"ogi-download: error: {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
