#!/usr/bin/python3
"""Reference side of the dense assignment benchmark (issue 6).

Reads the matrices and the engine's figures that `dense_assignment_bench --out_dir=DIR`
wrote, runs scipy.optimize.linear_sum_assignment(maximize=True) on the same matrices,
checks that the optimum is the same and prints both times and the ratio. Exits with
status 1 when an optimum differs.

Usage: /usr/bin/python3 bench/assignment/dense_reference.py DIR [--repeats 1]
Needs Debian's python3-numpy and python3-scipy (so /usr/bin/python3).
"""

import argparse
import glob
import os
import statistics
import sys
import time

import numpy as np
import scipy
from scipy.optimize import linear_sum_assignment


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    rows = []
    failed = False
    for path in sorted(glob.glob(os.path.join(args.dir, "engine.*.txt")),
                       key=lambda p: int(p.split(".")[-2])):
        with open(path) as f:
            n, engine_wall, engine_cpu, engine_opt = f.read().split()
        n = int(n)
        w = np.load(os.path.join(args.dir, "weights.%d.npy" % n)).astype(np.float64)
        walls, cpus = [], []
        for _ in range(args.repeats):
            t0, c0 = time.perf_counter(), time.process_time()
            r, c = linear_sum_assignment(w, maximize=True)
            walls.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
        opt = int(round(w[r, c].sum()))
        same = opt == int(engine_opt)
        failed |= not same
        rows.append((n, float(engine_wall), float(engine_cpu), statistics.median(walls),
                     statistics.median(cpus), opt, same))
    print("scipy %s linear_sum_assignment vs the engine (median of %d; cpu = process CPU time)"
          % (scipy.__version__, args.repeats))
    print("%6s %12s %12s %12s %12s %14s %14s  %s" % (
        "n", "engine wall", "engine cpu", "scipy wall", "scipy cpu", "cpu ratio",
        "optimum", "same"))
    for n, ew, ec, sw, sc, opt, same in rows:
        print("%6d %12.3f %12.3f %12.3f %12.3f %13.2fx %14d  %s" % (
            n, ew, ec, sw, sc, sc / ec if ec > 0 else float("inf"), opt,
            "yes" if same else "NO"))
    print("(cpu ratio = scipy cpu / engine cpu: above 1 the engine is faster)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
