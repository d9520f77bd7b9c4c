"""The baseline a subprocess grader would be: python3 + numpy runs the same composed program on the same
cases and compares with the same reference values. Reads one JSON job on stdin, prints the verdict."""
import json
import sys

import numpy as np


def to_np(v):
    if isinstance(v, dict) and "shape" in v:
        return np.array(v["data"], dtype=np.float64).reshape(v["shape"])
    if isinstance(v, list):
        return [to_np(x) for x in v]
    return v


def close(expected, got):
    if isinstance(expected, list):
        return isinstance(got, (list, tuple)) and len(got) == len(expected) and all(close(e, g) for e, g in zip(expected, got))
    return np.allclose(np.asarray(got, dtype=np.float64), to_np(expected), rtol=1e-4, atol=1e-5)


job = json.load(sys.stdin)
passed = 0
for case in job["cases"]:
    scope = {"np": np, "__kakunin_blank__": lambda v: v}
    scope.update({k: to_np(v) for k, v in case["inputs"].items()})
    exec(compile(job["source"], "<answer>", "exec"), scope)
    if close(case["expected"], eval(job["call"], scope)):
        passed += 1
print(json.dumps({"verdict": "correct" if passed == len(job["cases"]) else "incorrect", "passed": passed}))
