"""Create, once, a virtual environment holding Ralph's LRS and print its path on stdout.

``ralph-malph[cli,lrs]==4.2.0`` goes into ``$LMS_RALPH_VENV`` (default
``~/.cache/coordinator-lms/ralph-4.2.0``), apart from the LMS's own environment: Ralph's
FastAPI and pydantic 1 pins would clash with ours. ``requests`` is installed too: ``ralph.api``
imports it (``ralph/api/auth/oidc.py``) although neither the ``cli`` nor the ``lrs`` extra
requires it.

Idempotent (a working venv is left alone) and safe to run twice at once (``<venv>.lock``).
Exit status 0 and the path on stdout; otherwise non-zero and a message on stderr.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys

VERSION = "4.2.0"
REQUIREMENTS = (f"ralph-malph[cli,lrs]=={VERSION}", "requests")
CHECK = ("import importlib.metadata as m, ralph.api, uvicorn; "
         f"assert m.version('ralph-malph') == '{VERSION}', m.version('ralph-malph')")


def venv_path() -> str:
    return os.path.abspath(os.environ.get("LMS_RALPH_VENV") or os.path.expanduser(
        f"~/.cache/coordinator-lms/ralph-{VERSION}"))


def ready(venv: str) -> bool:
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        return False
    # Importing ralph.api builds the configured backend: ask for the filesystem one, in a
    # scratch directory, so that the check needs no Elasticsearch and leaves nothing behind.
    env = {**os.environ, "RALPH_RUNSERVER_BACKEND": "fs"}
    return subprocess.run([python, "-c", CHECK], env=env, cwd=os.path.dirname(venv),
                          capture_output=True).returncode == 0


def create(venv: str) -> None:
    if os.path.exists(venv) and os.listdir(venv) and not os.path.exists(
            os.path.join(venv, "pyvenv.cfg")):
        raise RuntimeError(f"{venv} exists and is not a virtual environment; not touching it")
    print(f"creating {venv} ({' '.join(REQUIREMENTS)})", file=sys.stderr)
    # --clear: a half-made environment (an interrupted install) is started afresh.
    # The base interpreter of whatever runs this script (a venv's python is fine).
    subprocess.run([sys.executable, "-m", "venv", "--clear", venv], check=True,
                   stdout=sys.stderr)
    # pip's output goes to stderr: stdout carries the path and nothing else.
    subprocess.run([os.path.join(venv, "bin", "python"), "-m", "pip", "install", "-q",
                    "--disable-pip-version-check", *REQUIREMENTS], check=True, stdout=sys.stderr)


def main() -> int:
    venv = venv_path()
    try:
        os.makedirs(os.path.dirname(venv), exist_ok=True)
        with open(venv + ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # a second run waits here, then finds it ready
            if not ready(venv):
                create(venv)
                if not ready(venv):
                    raise RuntimeError(f"Ralph was installed in {venv} but does not import "
                                       f"(check: {CHECK})")
    except (OSError, RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"ensure_ralph: {exc}", file=sys.stderr)
        return 1
    print(venv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
