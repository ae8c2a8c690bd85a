"""Run every benchmark script in this folder, one after another (``make bench``)."""

import glob
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
status = 0
for script in sorted(glob.glob(os.path.join(here, "*.py"))):
    name = os.path.basename(script)
    # seed_large.py generates data (large_store.py calls it); it measures nothing itself
    if name.startswith("_") or name in ("run_all.py", "seed_large.py"):
        continue
    print(f"\n### {name}", flush=True)
    status |= subprocess.run([sys.executable, script]).returncode
sys.exit(status)
