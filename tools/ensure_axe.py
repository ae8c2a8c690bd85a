"""Install, once, axe-core 4 from the npm registry into a cache directory and print its script path.

The accessibility browser test (``tests/browser/test_accessibility.py``) injects this file into
every page; it is never fetched from a CDN. ``npm install --prefix $LMS_AXE_DIR axe-core@4``
(default ``~/.cache/coordinator-lms/axe-core-4``). Idempotent and safe to run twice at once
(``<dir>.lock``).
Exit status 0 and the path on stdout; otherwise non-zero and a message on stderr.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys

SPEC = "axe-core@4"


def install_dir() -> str:
    return os.path.abspath(os.environ.get("LMS_AXE_DIR") or os.path.expanduser(
        "~/.cache/coordinator-lms/axe-core-4"))


def script_path(prefix: str) -> str:
    return os.path.join(prefix, "node_modules", "axe-core", "axe.min.js")


def main() -> int:
    prefix = install_dir()
    try:
        os.makedirs(os.path.dirname(prefix), exist_ok=True)
        with open(prefix + ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # a second run waits here, then finds it ready
            if not os.path.exists(script_path(prefix)):
                npm = shutil.which("npm")
                if npm is None:
                    raise RuntimeError("npm not found (apt-get install npm)")
                print(f"installing {SPEC} into {prefix}", file=sys.stderr)
                subprocess.run([npm, "install", "--prefix", prefix, "--no-audit", "--no-fund",
                                "--silent", SPEC], check=True, stdout=sys.stderr)
            if not os.path.exists(script_path(prefix)):
                raise RuntimeError(f"npm installed {SPEC} but {script_path(prefix)} is missing")
    except (OSError, RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"ensure_axe: {exc}", file=sys.stderr)
        return 1
    print(script_path(prefix))
    return 0


if __name__ == "__main__":
    sys.exit(main())
