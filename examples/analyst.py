"""A notebook's first cells, as a script: load the base case, compare caps, plot them.

    python examples/analyst.py            # writes output/analyst/caps.png and caps.csv
    python examples/analyst.py --out DIR
"""

import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import polars as pl  # noqa: E402

import dealsim  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="scenarios/base.toml")
    parser.add_argument("--out", default=os.path.join("output", "analyst"))
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)

    base = dealsim.run(args.scenario)
    print(f"{base.scenario} under {base.agreement}: OpenAI pays Microsoft {base.summary['totals']['share_paid']:,} in all")

    # The same scenario under three caps: one exact ledger each, stacked into one polars frame.
    caps = ["25B", "38B", "60B"]
    frames = []
    for cap in caps:
        run = dealsim.run(args.scenario, set={"cap": cap})
        ledger = pl.from_arrow(run.ledger).select("year", "share_paid", "cumulative_paid")
        frames.append(ledger.with_columns(pl.lit(cap).alias("cap")))
    table = pl.concat(frames)
    wide = table.pivot(on="cap", index="year", values="cumulative_paid")
    print(wide)
    wide.write_csv(os.path.join(args.out, "caps.csv"))

    figure, axes = plt.subplots(figsize=(9, 5))
    for cap in caps:
        rows = table.filter(pl.col("cap") == cap)
        # Floats only here, for drawing: the table above stays exact.
        billions = [float(v) / 1e9 for v in rows["cumulative_paid"]]
        axes.plot(rows["year"].to_list(), billions, marker="o", label=f"cap {cap}")
    axes.set_title(f"Cumulative revenue share paid to Microsoft, {base.scenario} scenario, by cap")
    axes.set_xlabel("year")
    axes.set_ylabel("paid to Microsoft so far (US$ billions)")
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    path = os.path.join(args.out, "caps.png")
    figure.savefig(path, dpi=100)
    print(f"Wrote {path} and caps.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
