"""Code versions and build provenance (git sha, extraction version).

`EXTRACTION_VERSION` hashes every source and data file of `transforms/`, so a change to a
parser, a label map or the dictionary changes the version: the parse asset's `code_version`
(the UI shows it stale) and the per-document parse cache key (only then are documents parsed
again). Modules that only run after extraction, over many reports (`POST_EXTRACTION`), are
left out, so changing the panel or the cross-report checks does not re-parse every document.
`dedup.py` stays in: the MinHash signature it computes is stored with each parsed document.
"""

from __future__ import annotations

import hashlib
import subprocess
from functools import cache, lru_cache
from pathlib import Path

import transforms

TRANSFORMS_DIR = Path(transforms.__file__).resolve().parent
REPO_ROOT = TRANSFORMS_DIR.parent
_SOURCE_SUFFIXES = {".py", ".yaml", ".yml", ".csv", ".json", ".txt"}
POST_EXTRACTION = {"panel.py", "cross_report.py"}


@lru_cache(maxsize=1)
def extraction_version() -> str:
    """Short hash of transforms/ sources and data files (path + content, sorted)."""
    digest = hashlib.sha256()
    for path in sorted(TRANSFORMS_DIR.rglob("*")):
        rel = path.relative_to(TRANSFORMS_DIR).as_posix()
        if path.is_file() and path.suffix in _SOURCE_SUFFIXES and "__pycache__" not in path.parts \
                and rel not in POST_EXTRACTION:
            digest.update(str(path.relative_to(TRANSFORMS_DIR)).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return "x" + digest.hexdigest()[:12]


@lru_cache(maxsize=1)
def git_sha() -> str:
    """Commit of the working tree ('unknown' outside git); '+dirty' marks uncommitted changes."""
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO_ROOT, capture_output=True, text=True, check=True, timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return sha + ("+dirty" if dirty else "")


@cache
def transforms_version(*modules: str) -> str:
    """Short hash of the named transforms/ modules: the `code_version` of an asset built on them."""
    digest = hashlib.sha256()
    for name in modules:
        digest.update(name.encode() + b"\0" + (TRANSFORMS_DIR / name).read_bytes() + b"\0")
    return "t" + digest.hexdigest()[:12]
