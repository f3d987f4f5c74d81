"""The study's way of reading a Layer_Gradient file, for the read benchmark.

Mirrors MingLiiii/Layer_Gradient code_vis/exp_utils.py: json.loads per line (Python
accepts the bare NaN / Infinity tokens), one numpy array per Q/K/V/O module of S_sum
over (samples, layers), rows with a NaN dropped, mean over samples, and the mean
absolute difference between adjacent layers. Prints one JSON line with the seconds
taken (wall and CPU) and a checksum of the curves so the two readers can be compared.

Usage: python3 scripts/bench/study_read.py FILE.jsonl
"""
import json
import sys
import time

import numpy as np

MODULES = ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj"]


def main(path):
    start = time.perf_counter()
    cpu_start = time.process_time()
    with open(path, "r", encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    layers = 1 + max(
        int(k.split(".")[2]) for k in records[0] if k.startswith("model.layers.")
    )
    checksum = 0.0
    for module in MODULES:
        rows = np.array(
            [[r[f"model.layers.{i}.{module}.weight"]["S_sum"] for i in range(layers)] for r in records],
            dtype=float,
        )
        clean = rows[~np.isnan(rows).any(axis=1)]
        curve = clean.mean(0)
        mad = float(np.mean(np.abs(np.diff(curve))))
        checksum += float(curve.sum()) + mad
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    print(json.dumps({"seconds": seconds, "cpu": cpu, "samples": len(records), "layers": layers, "checksum": checksum}))


if __name__ == "__main__":
    main(sys.argv[1])
