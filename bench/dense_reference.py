#!/usr/bin/python3
"""Reference side of the dense proxy benchmark (issue 3, benchmark 2).

Reads the inputs and the engine's top-k that `dense_topk_bench --out_dir=DIR` wrote, runs
FAISS IndexFlatIP and numpy (matmul + argpartition, blocked to bound memory) on the same
data, checks that all three top-k agree, and prints a side-by-side table.

Agreement: at every (query, rank) the ids must be equal, except where the two results
differ only by a near-tie: the exact (float64) scores of both ids are within 1e-5 of each
other. Exits with status 1 when any other difference is found.

Usage: /usr/bin/python3 bench/dense_reference.py DIR [--repeats 3] [--threads 2]
Run it through bench/run_dense.sh, which sets OPENBLAS_CORETYPE and the thread counts.
Needs Debian's python3-numpy and python3-faiss (so /usr/bin/python3, not a pyenv python).
"""

import argparse
import ctypes
import json
import os
import statistics
import sys
import time

import numpy as np

TIE_TOLERANCE = 1e-5


def openblas_core():
    """The OpenBLAS kernel family in use (e.g. 'SkylakeX'), or 'unknown'."""
    try:
        blas = ctypes.CDLL("libblas.so.3")
        blas.openblas_get_corename.restype = ctypes.c_char_p
        blas.openblas_get_config.restype = ctypes.c_char_p
        return "%s (%s)" % (blas.openblas_get_corename().decode(),
                            blas.openblas_get_config().decode())
    except (OSError, AttributeError):
        return "unknown (libblas.so.3 is not OpenBLAS)"


def timed(repeats, fn):
    """Wall times, process CPU times (all threads) and the last result of `repeats` calls."""
    times, cpu_times, result = [], [], None
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    return times, cpu_times, result


def numpy_topk(queries, database, k, block=4096):
    """Top-k by inner product: descending score, ties by lower id, `block` queries at a time."""
    n = queries.shape[0]
    ids = np.empty((n, k), dtype=np.int64)
    scores = np.empty((n, k), dtype=np.float32)
    database_t = np.ascontiguousarray(database.T)
    for start in range(0, n, block):
        s = queries[start:start + block] @ database_t
        part = np.argpartition(-s, k - 1, axis=1)[:, :k]
        part_scores = np.take_along_axis(s, part, axis=1)
        order = np.lexsort((part, -part_scores), axis=1)
        ids[start:start + block] = np.take_along_axis(part, order, axis=1)
        scores[start:start + block] = np.take_along_axis(part_scores, order, axis=1)
    return scores, ids


def faiss_topk(index, queries, k):
    scores, ids = index.search(queries, k)
    return scores, ids


def compare(name, queries, database, engine_ids, other_ids):
    """Counts rows identical to the engine, near-tie differences and real differences."""
    rows_identical = int(np.all(engine_ids == other_ids, axis=1).sum())
    qi, rank = np.nonzero(engine_ids != other_ids)
    ties = violations = 0
    examples = []
    for i, r in zip(qi, rank):
        a, b = engine_ids[i, r], other_ids[i, r]
        q = queries[i].astype(np.float64)
        sa = float(q @ database[a].astype(np.float64)) if a >= 0 else -np.inf
        sb = float(q @ database[b].astype(np.float64)) if b >= 0 else -np.inf
        if abs(sa - sb) <= TIE_TOLERANCE:
            ties += 1
        else:
            violations += 1
            if len(examples) < 5:
                examples.append("query %d rank %d: engine id %d (%.7f) vs %s id %d (%.7f)" %
                                (i, r, a, sa, name, b, sb))
    return rows_identical, ties, violations, examples


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dir")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    import faiss  # Debian python3-faiss

    with open(os.path.join(args.dir, "engine.json")) as f:
        engine = json.load(f)
    queries = np.load(os.path.join(args.dir, "queries.npy"))
    database = np.load(os.path.join(args.dir, "database.npy"))
    engine_ids = np.load(os.path.join(args.dir, "engine_ids.npy"))
    n, d = queries.shape
    m = database.shape[0]
    k = engine_ids.shape[1]
    flops = 2.0 * n * m * d

    faiss.omp_set_num_threads(args.threads)
    index = faiss.IndexFlatIP(d)
    index.add(database)
    faiss_times, faiss_cpu, (_, faiss_ids) = timed(args.repeats,
                                                   lambda: faiss_topk(index, queries, k))
    numpy_times, numpy_cpu, (_, numpy_ids) = timed(args.repeats,
                                                   lambda: numpy_topk(queries, database, k))

    print("reference: numpy %s, faiss %s, OpenBLAS core %s" %
          (np.__version__, faiss.__version__, openblas_core()))
    print("OPENBLAS_CORETYPE=%s OPENBLAS_NUM_THREADS=%s OMP_NUM_THREADS=%s; faiss threads %d" %
          (os.environ.get("OPENBLAS_CORETYPE", "(auto)"),
           os.environ.get("OPENBLAS_NUM_THREADS", "(auto)"),
           os.environ.get("OMP_NUM_THREADS", "(auto)"), args.threads))
    print("engine kernel: %s" % engine["instruction_sets"])
    print("peak (nominal clock):  %.1f GFLOP/s (%s)" % (engine["machine_peak_gflops"],
                                                       engine["peak_formula"]))
    print("peak (measured clock): %.1f GFLOP/s (%s)" % (engine["measured_peak_gflops"],
                                                       engine["measured_peak_formula"]))
    print()
    print("n=%d queries x m=%d database rows, d=%d, top-%d; median of %d runs" %
          (n, m, d, k, len(engine["seconds"])))
    engine_ms = engine["median_seconds"] * 1000
    rows = [("engine DenseTopK", engine["seconds"], engine.get("cpu_seconds", [])),
            ("faiss IndexFlatIP", faiss_times, faiss_cpu),
            ("numpy matmul+argpartition", numpy_times, numpy_cpu)]
    print("%-27s %12s %10s %9s %9s %12s %12s   %s" %
          ("", "median ms", "GFLOP/s", "%nominal", "%measured", "engine/this", "cpu ms/thr",
           "runs (ms)"))
    for name, times, cpu_times in rows:
        median_ms = statistics.median(times) * 1000
        gflops = flops / (median_ms / 1000) / 1e9
        cpu_ms = (statistics.median(cpu_times) * 1000 / args.threads) if cpu_times else float("nan")
        print("%-27s %12.1f %10.1f %8.1f%% %8.1f%% %12.2f %12.1f   %s" %
              (name, median_ms, gflops, 100 * gflops / engine["machine_peak_gflops"],
               100 * gflops / engine["measured_peak_gflops"], engine_ms / median_ms, cpu_ms,
               ", ".join("%.1f" % (t * 1000) for t in times)))
    print("cpu ms/thr: median process CPU time / threads. On a shared machine it approximates "
          "the wall time with idle cores; OpenBLAS worker threads spin while they wait, so for "
          "faiss and numpy it also counts spinning.")
    print()
    ok = True
    for name, ids in (("faiss", faiss_ids), ("numpy", numpy_ids)):
        same, ties, violations, examples = compare(name, queries, database, engine_ids, ids)
        print("top-%d engine vs %s: %d/%d rows identical, %d positions differ by a near-tie "
              "(|score diff| <= %g), %d real differences" %
              (k, name, same, n, ties, TIE_TOLERANCE, violations))
        for e in examples:
            print("   ", e)
        ok = ok and violations == 0
    print("RESULT: %s" % ("top-%d agree" % k if ok else "MISMATCH"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
