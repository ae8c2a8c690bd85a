"""Create, once, a virtual environment holding Ralph's LRS; print its path.

``ralph-malph[cli,lrs]==4.2.0`` (plus ``requests``, which its API imports but its extras
omit) in ``$LMS_RALPH_VENV`` (default
``~/.cache/coordinator-lms/ralph-4.2.0``), apart from the LMS's own environment: its FastAPI
and pydantic pins differ from ours. Idempotent and safe to run twice at once.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys

VERSION = "4.2.0"


def venv_path() -> str:
    return os.environ.get("LMS_RALPH_VENV") or os.path.expanduser(
        f"~/.cache/coordinator-lms/ralph-{VERSION}")


def ready(venv: str) -> bool:
    python = os.path.join(venv, "bin", "python")
    check = ("import importlib.metadata as m, ralph.api, uvicorn; "
             f"assert m.version('ralph-malph') == '{VERSION}'")
    return os.path.exists(python) and subprocess.run(
        [python, "-c", check], capture_output=True, env={**os.environ, "RALPH_RUNSERVER_BACKEND":
                                                         "fs"}).returncode == 0


def main() -> int:
    venv = venv_path()
    os.makedirs(os.path.dirname(venv), exist_ok=True)
    with open(venv + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not ready(venv):
            print(f"creating {venv} (ralph-malph[cli,lrs]=={VERSION})", file=sys.stderr)
            subprocess.run([sys.executable, "-m", "venv", venv], check=True)
            subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q",
                            f"ralph-malph[cli,lrs]=={VERSION}", "requests"], check=True)
            if not ready(venv):
                print("Ralph was installed but does not import", file=sys.stderr)
                return 1
    print(venv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
