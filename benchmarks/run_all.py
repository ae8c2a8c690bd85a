"""Run every benchmark script in this folder, one after another (``make bench``)."""

import glob
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
status = 0
for script in sorted(glob.glob(os.path.join(here, "*.py"))):
    name = os.path.basename(script)
    if name.startswith("_") or name == "run_all.py":
        continue
    print(f"\n### {name}", flush=True)
    status |= subprocess.run([sys.executable, script]).returncode
sys.exit(status)
