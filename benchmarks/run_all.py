"""Run every benchmark script in this folder, one after another (``make bench``).

Bounded by default: the large-store and export figures use generated SQLite files at
``LMS_BENCH_LARGE_SIZES`` (1 k / 50 k statements and 10 k / 500 k, generated once into /tmp);
``LMS_BENCH_LARGE_URLS=postgresql://…/a,postgresql://…/b`` measures two databases seeded by
``seed_large.py`` instead (the full 10 k / 5 M run, README "Scaling"). Each script prints its
figures beside a baseline measured in the same run.
"""

import glob
import os
import platform
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))


def machine() -> str:
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load average {load} (1 / 5 / 15 min)")


print(f"make bench, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {machine()}",
      flush=True)
status = 0
for script in sorted(glob.glob(os.path.join(here, "*.py"))):
    name = os.path.basename(script)
    # seed_large.py generates data (large_store.py calls it); it measures nothing itself
    if name.startswith("_") or name in ("run_all.py", "seed_large.py"):
        continue
    print(f"\n### {name}", flush=True)
    started = time.perf_counter()
    status |= subprocess.run([sys.executable, script]).returncode
    print(f"({name}: {time.perf_counter() - started:.0f} s)", flush=True)
print(f"\nend; {machine()}")
sys.exit(status)
