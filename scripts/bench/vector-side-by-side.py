#!/usr/bin/python3
"""FAISS's half of scripts/bench/vector-side-by-side: FAISS from Python (Debian's python3-faiss 1.7.3 by
default, or whichever the interpreter imports) and numpy.

  vector-side-by-side.py generate DIR N QUERIES DIM {random,lowrank}   base.f32, queries.f32
  vector-side-by-side.py faiss DIR K ROUNDS M EF_CONSTRUCTION EF...    truth.i32; JSON on stdout
  vector-side-by-side.py report FAISS_JSON JAVA_JSON                   the table

Vectors are unit length ("random": uniform on the sphere; "lowrank": a random 64-dimensional
subspace plus a little noise, closer to sentence embeddings). Files: int32 rows, int32 columns,
then little-endian rows. FAISS runs IndexFlatIP (exact, the ground truth; timed unless
FAISS_EXACT=0) and IndexHNSWFlat with the M and efConstruction our FAISS index uses, searched at
each efSearch given. Graphs are built on every core; searches run one query per call on one thread, as our Java side does, so the
latencies include a Python call (a few microseconds). Each index is timed over ROUNDS passes of
the queries after a warm-up pass: the median of the passes' medians and p95s, and their range.
"""
import json
import os
import sys
import time

import numpy as np


def write_matrix(path, a):
    with open(path, "wb") as f:
        np.array(a.shape, dtype="<i4").tofile(f)
        a.astype("<f4" if a.dtype.kind == "f" else "<i4").tofile(f)


def read_matrix(path):
    with open(path, "rb") as f:
        rows, cols = np.fromfile(f, dtype="<i4", count=2)
        return np.fromfile(f, dtype="<f4", count=rows * cols).reshape(rows, cols)


def unit(a):
    return (a / np.linalg.norm(a, axis=1, keepdims=True)).astype(np.float32)


def vectors(rng, n, dim, kind, basis):
    if kind == "random":
        return unit(rng.standard_normal((n, dim), dtype=np.float32))
    z = rng.standard_normal((n, basis.shape[0]), dtype=np.float32)
    noise = 0.1 * np.sqrt(basis.shape[0] / dim)
    return unit(z @ basis + noise * rng.standard_normal((n, dim), dtype=np.float32))


def generate(out, n, nq, dim, kind):
    rng = np.random.default_rng(1)
    basis = unit(rng.standard_normal((64, dim), dtype=np.float32))
    write_matrix(f"{out}/base.f32", vectors(rng, n, dim, kind, basis))
    write_matrix(f"{out}/queries.f32", vectors(rng, nq, dim, kind, basis))


def timed_searches(index, queries, k, rounds):
    ids = np.array([index.search(q[None, :], k)[1][0] for q in queries])  # also the warm-up pass
    medians, p95s = [], []
    for _ in range(rounds):
        ms = []
        for q in queries:
            t = time.perf_counter()
            index.search(q[None, :], k)
            ms.append((time.perf_counter() - t) * 1000)
        medians.append(np.percentile(ms, 50))
        p95s.append(np.percentile(ms, 95))
    return ids, medians, p95s


def summary(name, build_s, ids, truth, medians, p95s, k):
    recall = np.mean([len(set(a) & set(t)) / k for a, t in zip(ids, truth)])
    r = lambda x: round(float(x), 4)
    return {"name": name, "build_s": round(build_s, 2), "recall": r(recall),
            "median_ms": r(np.median(medians)), "median_lo": r(min(medians)), "median_hi": r(max(medians)),
            "p95_ms": r(np.median(p95s)), "p95_lo": r(min(p95s)), "p95_hi": r(max(p95s))}


def run_faiss(out, k, rounds, m, ef_construction, efs):
    import faiss
    base, queries = read_matrix(f"{out}/base.f32"), read_matrix(f"{out}/queries.f32")
    n, dim = base.shape
    threads = faiss.omp_get_max_threads()
    # Debian's build is "OPTIMIZE GENERIC" (no SIMD); pip's faiss-cpu says "AVX2 AVX512 ...".
    options = faiss.get_compile_options().strip() if hasattr(faiss, "get_compile_options") else "unknown"
    result = {"faiss": faiss.__version__, "compile_options": options, "build_threads": threads, "indexes": []}

    t = time.perf_counter()
    flat = faiss.IndexFlatIP(dim)
    flat.add(base)
    build = time.perf_counter() - t
    truth = flat.search(queries, k)[1]  # all queries at once, on every core
    write_matrix(f"{out}/truth.i32", truth.astype(np.int32))
    faiss.omp_set_num_threads(1)
    if os.environ.get("FAISS_EXACT", "1") == "1":  # 0: its timed passes take too long (a million vectors)
        ids, medians, p95s = timed_searches(flat, queries, k, rounds)
        result["indexes"].append(summary("IndexFlatIP", build, ids, truth, medians, p95s, k))

    faiss.omp_set_num_threads(threads)
    print(f"FAISS: building IndexHNSWFlat M={m} efConstruction={ef_construction}", file=sys.stderr)
    t = time.perf_counter()
    hnsw = faiss.IndexHNSWFlat(dim, m, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = ef_construction
    hnsw.add(base)
    build = time.perf_counter() - t
    faiss.omp_set_num_threads(1)
    for ef in efs:
        hnsw.hnsw.efSearch = ef
        ids, medians, p95s = timed_searches(hnsw, queries, k, rounds)
        result["indexes"].append(summary(f"IndexHNSWFlat:{ef}", build, ids, truth, medians, p95s, k))
    print(json.dumps(result))


NAMES = {"IndexFlatIP": "FAISS IndexFlatIP (exact)",
         "IndexHNSWFlat": "FAISS IndexHNSWFlat, efSearch {}",
         "exact": "AgentCouncil exact",
         "jvector": "AgentCouncil JVector, beam {}",
         "faiss": "AgentCouncil FAISS binding, efSearch {}"}


def label(name):
    kind, _, arg = name.partition(":")
    return NAMES[kind].format(arg)


def report(faiss_json, java_json):
    f, j = json.load(open(faiss_json)), json.load(open(java_json))
    print(f"{j['n']:,} vectors x {j['dimension']} dims, {j['queries']} queries, recall@{j['k']} against "
          f"FAISS IndexFlatIP; FAISS {f['faiss']} from Python, built with {f['compile_options']} (graphs built on {f['build_threads']} threads), one thread per "
          f"search; latency: median over {j['rounds']} passes (range)")
    print(f"{'index':44s} {'build s':>8s} {'recall':>7s} {'median ms':>20s} {'p95 ms':>20s}")
    for r in f["indexes"] + j["indexes"]:
        if "error" in r:
            print(f"{label(r['name']):44s} {r['error']}")
            continue
        median = f"{r['median_ms']:.3f} ({r['median_lo']:.3f}-{r['median_hi']:.3f})"
        p95 = f"{r['p95_ms']:.3f} ({r['p95_lo']:.3f}-{r['p95_hi']:.3f})"
        print(f"{label(r['name']):44s} {r['build_s']:8.1f} {r['recall']:7.3f} {median:>20s} {p95:>20s}")
    # Same graph parameters, same library: how much faster our binding answers at each efSearch.
    python = {r["name"].partition(":")[2]: r for r in f["indexes"] if r["name"].startswith("IndexHNSWFlat")}
    for r in j["indexes"]:
        kind, _, ef = r["name"].partition(":")
        if kind == "faiss" and ef in python and "error" not in r:
            p = python[ef]
            print(f"efSearch {ef}: FAISS from Python / our binding: median {p['median_ms'] / r['median_ms']:.2f}x, "
                  f"p95 {p['p95_ms'] / r['p95_ms']:.2f}x, build {p['build_s'] / r['build_s']:.2f}x; "
                  f"recall {p['recall']:.3f} vs {r['recall']:.3f}")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "generate":
        generate(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
    elif cmd == "faiss":
        run_faiss(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]),
                  [int(ef) for ef in sys.argv[7:]])
    elif cmd == "report":
        report(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
