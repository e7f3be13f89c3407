"""Shared helpers of the benchmarks: environment facts and result files."""

import json
import os
import platform
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
PACKAGES = [
    "skrnn",
    "numpy",
    "scikit-learn",
    "tensorflow",
    "keras",
    "statsmodels",
    "pandas",
]


def environment():
    """Versions and hardware, recorded with every result."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "versions": versions,
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


def markdown_table(rows, columns=None):
    columns = columns or list(dict.fromkeys(key for row in rows for key in row))
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = [_fmt(row.get(c)) for c in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _fmt(value):
    if isinstance(value, float):
        return f"{value:.4g}"
    return "" if value is None else str(value)


def write_results(name, title, rows, *, notes="", extra=None):
    """Write ``results/<name>.json`` and ``results/<name>.md``; return the table."""
    RESULTS.mkdir(exist_ok=True)
    env = environment()
    payload = {"benchmark": name, "environment": env, "rows": rows, **(extra or {})}
    (RESULTS / f"{name}.json").write_text(json.dumps(payload, indent=2, default=str))
    table = markdown_table(rows)
    versions = ", ".join(f"{k} {v}" for k, v in env["versions"].items() if v)
    text = (
        f"# {title}\n\n{notes}\n\n{table}\n\n"
        f"Measured {env['date']} on {env['cpu_count']} CPUs ({env['platform']}); "
        f"Python {env['python']}; {versions}.\n"
    )
    (RESULTS / f"{name}.md").write_text(text)
    return table


def run_in_fresh_process(code, *args):
    """Run Python ``code`` in a new interpreter; return the JSON of its last line.

    Each run pays its own start-up (TensorFlow's import included) and shares
    no TensorFlow state with the caller or the other runs.
    """
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def timed(func, *args, **kwargs):
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return time.perf_counter() - start, result
