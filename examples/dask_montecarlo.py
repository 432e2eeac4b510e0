"""A dealsim Monte Carlo spread over a Dask cluster as shards, merged exactly.

Each task runs one shard (a range of the run's chunks, each drawn from its own random stream of
the seed) and returns its sketch: integer counts and exact extremes, a few hundred kilobytes of
text. The client merges them; the result is byte for byte the run made in one process.

    python examples/dask_montecarlo.py scenarios/uncertain.toml --paths 1000000 --shards 8
    python examples/dask_montecarlo.py scenarios/uncertain.toml --scheduler tcp://10.0.0.5:8786

Without --scheduler it starts a LocalCluster of --workers processes (one thread each). On a
real cluster every worker needs the `dealsim` package (`pip install ./python`) and the
scenario file at the same path (a shared file system, or the same checkout everywhere).
"""

import argparse
import json
import os
import sys
import time

import dealsim


def run_shard(path, paths, seed, index, of):
    """One shard, on a worker: its sketch (plain text, so it travels cheaply)."""
    return dealsim.montecarlo(path, paths=paths, seed=seed, shard=(index, of))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario")
    parser.add_argument("--paths", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="workers of the LocalCluster")
    parser.add_argument("--scheduler", help="a Dask scheduler's address; a LocalCluster if absent")
    parser.add_argument("--check", action="store_true", help="also run in one process and compare")
    parser.add_argument("--out", help="write the merged montecarlo.json here")
    args = parser.parse_args(argv)

    from dask.distributed import Client, LocalCluster

    # The merge reads the scenario file again, at the path the shards recorded: give it whole.
    path = os.path.abspath(args.scenario)
    cluster = None
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        # One dealsim thread per worker process: the cluster, not rayon, spreads the work.
        os.environ["RAYON_NUM_THREADS"] = "1"
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=None)
        client = Client(cluster)
    try:
        started = time.perf_counter()
        futures = client.map(
            run_shard,
            [path] * args.shards,
            [args.paths] * args.shards,
            [args.seed] * args.shards,
            range(1, args.shards + 1),
            [args.shards] * args.shards,
            pure=False,
        )
        sketches = client.gather(futures)
        merged = dealsim.merge(sketches)
        elapsed = time.perf_counter() - started
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    workers = "scheduler " + args.scheduler if args.scheduler else f"{args.workers} local workers"
    total = merged.total_paid
    print(
        f"{args.paths:,} paths in {args.shards} shards on {workers}: {elapsed:.1f} s; "
        f"total paid P5 {total['p5']}, P50 {total['p50']}, P95 {total['p95']}"
    )
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(merged.json)
    if args.check:
        started = time.perf_counter()
        single = dealsim.montecarlo(path, paths=args.paths, seed=args.seed)
        single_elapsed = time.perf_counter() - started
        same = single.json == merged.json
        print(f"one process: {single_elapsed:.1f} s; merged shards {'equal' if same else 'DIFFER FROM'} it byte for byte")
        if not same:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
