#!/usr/bin/python3
"""FAISS's half of scripts/bench/vector-side-by-side, with Debian's python3-faiss (1.7.3) and numpy.

  vector-side-by-side.py generate DIR N QUERIES DIM {random,lowrank}   base.f32, queries.f32
  vector-side-by-side.py faiss DIR K                                   truth.i32; JSON on stdout
  vector-side-by-side.py report FAISS_JSON JAVA_JSON                   the table

Vectors are unit length ("random": uniform on the sphere; "lowrank": a random 64-dimensional
subspace plus a little noise, closer to sentence embeddings). Files: int32 rows, int32 columns,
then little-endian rows. FAISS runs IndexFlatIP (exact, the ground truth) and IndexHNSWFlat
(M=16: 32 links a node at level 0, as our JVector graph's degree 32; efConstruction 100, our
construction beam), searched at efSearch 100 (our search beam) and 200. Graphs are built on
every core; searches run one query per call on one thread, as our Java side does, so the
latencies include a Python call (a few microseconds).
"""
import json
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


def timed_searches(index, queries, k):
    for q in queries:  # warm-up pass, as on the Java side
        index.search(q[None, :], k)
    ids, ms = [], []
    for q in queries:
        t = time.perf_counter()
        _, i = index.search(q[None, :], k)
        ms.append((time.perf_counter() - t) * 1000)
        ids.append(i[0])
    return np.array(ids), ms


def summary(build_s, ids, truth, ms, k):
    recall = np.mean([len(set(a) & set(t)) / k for a, t in zip(ids, truth)])
    return {"build_s": round(build_s, 2), "recall": round(float(recall), 4),
            "median_ms": round(float(np.percentile(ms, 50)), 4), "p95_ms": round(float(np.percentile(ms, 95)), 4)}


def run_faiss(out, k):
    import faiss
    base, queries = read_matrix(f"{out}/base.f32"), read_matrix(f"{out}/queries.f32")
    n, dim = base.shape
    threads = faiss.omp_get_max_threads()
    result = {"faiss": faiss.__version__, "build_threads": threads}

    t = time.perf_counter()
    flat = faiss.IndexFlatIP(dim)
    flat.add(base)
    build = time.perf_counter() - t
    faiss.omp_set_num_threads(1)
    truth, ms = timed_searches(flat, queries, k)
    write_matrix(f"{out}/truth.i32", truth.astype(np.int32))
    result["flat_ip"] = summary(build, truth, truth, ms, k)

    faiss.omp_set_num_threads(threads)
    t = time.perf_counter()
    hnsw = faiss.IndexHNSWFlat(dim, 16, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = 100
    hnsw.add(base)
    build = time.perf_counter() - t
    faiss.omp_set_num_threads(1)
    for ef in (100, 200):
        hnsw.hnsw.efSearch = ef
        ids, ms = timed_searches(hnsw, queries, k)
        result[f"hnsw_ef{ef}"] = summary(build, ids, truth, ms, k)
    print(json.dumps(result))


def report(faiss_json, java_json):
    f, j = json.load(open(faiss_json)), json.load(open(java_json))
    print(f"{j['n']:,} vectors x {j['dimension']} dims, {j['queries']} queries, recall@{j['k']} against "
          f"FAISS IndexFlatIP; FAISS {f['faiss']} (graph built on {f['build_threads']} threads), one thread per search")
    print(f"{'index':44s} {'build s':>8s} {'recall':>7s} {'median ms':>10s} {'p95 ms':>8s}")
    rows = [("FAISS IndexFlatIP (exact)", f["flat_ip"]),
            ("AgentCouncil exact", j["exact"]),
            ("FAISS IndexHNSWFlat M=16 efSearch=100", f["hnsw_ef100"]),
            ("FAISS IndexHNSWFlat M=16 efSearch=200", f["hnsw_ef200"]),
            ("AgentCouncil approximate (JVector, beam 100)", j["approximate"])]
    for name, r in rows:
        print(f"{name:44s} {r['build_s']:8.1f} {r['recall']:7.3f} {r['median_ms']:10.3f} {r['p95_ms']:8.3f}")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "generate":
        generate(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
    elif cmd == "faiss":
        run_faiss(sys.argv[2], int(sys.argv[3]))
    elif cmd == "report":
        report(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
