"""Run the real command line in a child process, as a user would: `python -m newsfetch …`."""

from __future__ import annotations

import os
import subprocess
import sys


def run_cli(*args: str, input: bytes | None = None, timeout: float = 60, cwd: str | None = None
            ) -> subprocess.CompletedProcess[str]:
    """`newsfetch ARGS…` with stdout/stderr captured as text; never raises on a non-zero exit."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", "COLUMNS": "200"}
    completed = subprocess.run([sys.executable, "-m", "newsfetch", *args], input=input, capture_output=True,
                               timeout=timeout, cwd=cwd, env=env)
    return subprocess.CompletedProcess(completed.args, completed.returncode,
                                       completed.stdout.decode("utf-8", "replace"),
                                       completed.stderr.decode("utf-8", "replace"))
