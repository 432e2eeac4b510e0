"""The examples run: the analyst's script writes its chart and table; the Dask example runs a
Monte Carlo as shards on a 2-worker LocalCluster and its merge equals the single-process run."""

import json
import pathlib
import subprocess
import sys

from decimal import Decimal

REPO = pathlib.Path(__file__).resolve().parents[2]


def test_the_analyst_example_compares_caps_and_plots_them(tmp_path):
    done = subprocess.run(
        [sys.executable, "examples/analyst.py", "--out", str(tmp_path)], cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "base under revised: OpenAI pays Microsoft 38,000,000,000 in all" in done.stdout
    png = (tmp_path / "caps.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    rows = (tmp_path / "caps.csv").read_text().splitlines()
    assert rows[0] == "year,25B,38B,60B"
    assert rows[-1] == "2032,25000000000.00,38000000000.00,60000000000.00"


def test_the_dask_example_merges_shards_into_the_single_process_run(tmp_path):
    out = tmp_path / "merged.json"
    done = subprocess.run(
        [sys.executable, "examples/dask_montecarlo.py", "scenarios/uncertain.toml", "--paths", "100000",
         "--shards", "6", "--workers", "2", "--check", "--out", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "100,000 paths in 6 shards on 2 local workers" in done.stdout
    assert "merged shards equal it byte for byte" in done.stdout
    merged = json.loads(out.read_text())
    assert merged["paths"] == 100000 and Decimal(merged["total_paid"]["p50"]) > 0
