#!/usr/bin/python3
"""FAISS IndexFlatIP on the same data as `xmrbench bench topk` (a reference, never a dependency).

usage: faiss_topk.py QUERIES.f32 DOCS.f32 DIM K THREADS REPEATS
Prints JSON: {"faiss": version, "seconds": [...], "ids": first query's ids}.
"""
import json
import sys
import time

import numpy as np
import faiss

qpath, dpath, dim, k, threads, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
faiss.omp_set_num_threads(threads)
q = np.fromfile(qpath, dtype=np.float32).reshape(-1, dim)
d = np.fromfile(dpath, dtype=np.float32).reshape(-1, dim)
index = faiss.IndexFlatIP(dim)
index.add(d)
index.search(q[: min(len(q), 8)], k)  # warm-up
seconds = []
for _ in range(repeats):
    t0 = time.perf_counter()
    _, ids = index.search(q, k)
    seconds.append(time.perf_counter() - t0)
print(json.dumps({"faiss": faiss.__version__, "seconds": seconds, "ids": ids[0].tolist()}))
