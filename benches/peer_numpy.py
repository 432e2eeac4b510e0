"""The Monte Carlo an analyst would write in vectorised numpy, as a peer for `dealsim montecarlo`.

Same model as `dealsim montecarlo benches/peer.toml` (scenarios/uncertain.toml as of 2026-12-01 over ten years, `benches/uncertain-10y.toml`):
OpenAI's revenue starts at 30B in 2026 and grows each year by a lognormal factor (median 1.55,
sigma 0.125 in log terms); OpenAI pays 20% of it through 2030 under a 38B total cap counted from
1 January 2026. Prints the P5/P50/P95 of the total paid. Floats, not exact money: the comparison
is of speed and memory, and the figures agree to the sketch's stated 0.2%.

Usage: python3 benches/peer_numpy.py [PATHS] [SEED]   (needs numpy: pip install numpy)
"""

import sys

import numpy as np

PATHS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 2026
YEARS = 10  # 2026-2035
SHARE_YEARS = 5  # 2026-2030
RATE, CAP, FIRST = 0.20, 38e9, 30e9

rng = np.random.default_rng(SEED)
factors = rng.lognormal(mean=np.log(1.55), sigma=0.125, size=(PATHS, YEARS - 1))
revenue = np.empty((PATHS, YEARS))
revenue[:, 0] = FIRST
revenue[:, 1:] = FIRST * np.cumprod(factors, axis=1)
due = np.zeros((PATHS, YEARS))
due[:, :SHARE_YEARS] = RATE * revenue[:, :SHARE_YEARS]
cumulative = np.minimum(np.cumsum(due, axis=1), CAP)
total = cumulative[:, -1]
p5, p50, p95 = np.percentile(total, [5, 50, 95])
per_year = np.percentile(cumulative, [5, 50, 95], axis=0)
print(f"Total paid to Microsoft over {PATHS:,} paths (seed {SEED}): P5 {p5/1e9:.2f}B, P50 {p50/1e9:.2f}B, P95 {p95/1e9:.2f}B")
print("P50 cumulative by year (B):", " ".join(f"{v/1e9:.2f}" for v in per_year[1]))
