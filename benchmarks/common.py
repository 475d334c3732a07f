"""Helpers shared by the benchmark scripts: machine description, load, peak memory, child runs.

Every configuration runs in a fresh child process so its peak RSS (VmHWM) is its own and torch /
ONNX Runtime thread pools do not carry over; the parent interleaves baseline and candidate runs so
both see the same background load (this machine is shared), and records the load average.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_avg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def spearman(a, b) -> float:
    """Spearman rank correlation of two score sequences (ties broken by position, as argsort does)."""
    import numpy as np

    ra, rb = (np.argsort(np.argsort(np.asarray(x))) for x in (a, b))
    return float(np.corrcoef(ra, rb)[0, 1])


def peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def machine() -> dict:
    import av
    import numpy as np
    import torch

    try:
        import onnxruntime

        ort = onnxruntime.__version__
    except ImportError:
        ort = None
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "torch": torch.__version__,
            "onnxruntime": ort, "pyav": av.__version__, "numpy": np.__version__}


def run_child(script: Path, args: list[str]) -> dict:
    """Run ``script --child ARGS`` in a fresh interpreter; its last stdout line is a JSON result."""
    env = {**os.environ, "HIGHLIT_QUIET": "1", "PYTHONPATH": str(ROOT)}
    before = load_avg()
    proc = subprocess.run([sys.executable, str(script), "--child", *args], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"child {args} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["load_before"], result["load_after"] = before, load_avg()
    return result
