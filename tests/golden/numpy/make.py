#!/usr/bin/env python3
"""Golden cases for the numpy interpreter, computed with real numpy.

Every snippet below runs in CPython with numpy; the expected value (or error class) is written to
cases.json next to this file. tests/graders/numpy/golden.test.ts runs the same snippets through the
interpreter and compares (rtol 1e-4, atol 1e-5, shapes exact, error class equal).

    python3 tests/golden/numpy/make.py           # rewrite cases.json
    python3 tests/golden/numpy/make.py --check   # exit 1 if cases.json is stale

Case format (cases.json):
    {"name": "...", "code": "...", "inputs": {name: <CLI codec value>}, "expect": <tagged value>}
    or "expect": {"error": "ValueError"};  optional "stdout": "..." when the printed text is compared.
Tagged values: {"int": 3}, {"float": 1.5 | "nan" | "inf" | "-inf"}, {"bool": true}, null, {"str": "..."},
    {"list": [...]}, {"tuple": [...]}, {"dict": [[k, v], ...]},
    {"array": {"kind": "f" | "i" | "b", "shape": [...], "data": [...]}}  (numpy scalars: shape [])
Inputs are float32-rounded first, so numpy and the interpreter start from the same numbers.
"""

import ast
import contextlib
import io
import json
import math
import os
import re
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'cases.json')

# ---------------------------------------------------------------- inputs

def f32(x):
    return np.asarray(x, dtype=np.float32).astype(np.float64)

INPUTS = {
    'a': f32(np.linspace(-1.5, 2.0, 12).reshape(3, 4)),
    'b': f32(np.cos(np.arange(12)).reshape(3, 4)),
    'c': f32(np.linspace(0, 1, 6).reshape(3, 2)),
    'v': f32([0.5, -1.0, 2.0, 0.25]),
    'u': f32([1.0, 2.0, 3.0]),
    'w': f32(np.sin(np.arange(12) + 1.0).reshape(4, 3)),
    'm': np.arange(12).reshape(3, 4),
    'n': np.array([3, -1, 4, 1, -5, 9, 2, -6]),
    'x3': f32(np.linspace(-1, 1, 24).reshape(2, 3, 4)),
    'h_f': f32(np.linspace(-1, 1, 20).reshape(5, 4)),
    'h_b': f32(np.cos(np.arange(20)).reshape(5, 4)),
    'mask': np.array([True, False, True, True, False, False, True, False]),
    'E': f32(np.sin(np.arange(24) * 0.7).reshape(6, 4)),
    'idx': np.array([2, 0, 5]),
    'W': f32(np.cos(np.arange(32) * 0.3).reshape(4, 8) * 0.5),
    'U': f32(np.sin(np.arange(16) * 0.4).reshape(2, 8) * 0.5),
    'bias': f32(np.linspace(-0.2, 0.2, 8)),
    'xs': f32(np.sin(np.arange(15) * 0.9).reshape(5, 3)),
    'Wx': f32(np.cos(np.arange(12) * 0.5).reshape(3, 4) * 0.4),
    'Wh': f32(np.sin(np.arange(16) * 0.6).reshape(4, 4) * 0.4),
    'bh': f32(np.linspace(-0.1, 0.1, 4)),
    'dout': f32(np.cos(np.arange(20) * 0.8).reshape(5, 4)),
    'Q': f32(np.sin(np.arange(12) * 0.5).reshape(3, 4)),
    'K': f32(np.cos(np.arange(20) * 0.3).reshape(5, 4)),
    'V': f32(np.sin(np.arange(10) * 0.2 + 1).reshape(5, 2)),
    'qtable': f32(np.arange(12).reshape(4, 3) * 0.1),
    'X': f32(np.sin(np.arange(24) * 1.3).reshape(6, 4) * 3 + 1),
    'gamma': f32([1.0, 0.5, 2.0, 1.5]),
    'beta': f32([0.0, 0.1, -0.1, 0.2]),
    'g1': f32(np.linspace(-3, 3, 6).reshape(2, 3)),
    'g2': f32([4.0, -2.0, 1.0]),
    'box_a': f32([1.0, 1.0, 4.0, 5.0]),
    'box_b': f32([2.0, 3.0, 6.0, 7.0]),
    'boxes': f32([[0, 0, 2, 2], [1, 1, 3, 3], [5, 5, 6, 6]]),
    'probs': f32([[0.1, 0.7, 0.2], [0.3, 0.3, 0.4]]),
    't_onehot': np.array([[0, 1, 0], [0, 0, 1]]),
    'labels': np.array([1, 2]),
    'delta_t': f32(np.cos(np.arange(8) * 0.7).reshape(2, 4)),
    'input_gate': f32(np.linspace(0.1, 0.9, 8).reshape(2, 4)),
    'forget_gate': f32(np.linspace(0.9, 0.2, 8).reshape(2, 4)),
    'ca': f32(np.tanh(np.linspace(-2, 2, 8)).reshape(2, 4)),
    'cc': f32(np.linspace(-1, 1, 8).reshape(2, 4)),
    'grad': f32(np.linspace(-2, 3, 6).reshape(2, 3)),
    'rate': 0.5,
    'lst': [3, 1, 4, 1, 5],
    'flt': 2.5,
    'k': 2,
}

# ---------------------------------------------------------------- cases
# (name, code) or (name, code, {'stdout': True}); inputs are the INPUTS names the code mentions.

CASES = []

def case(name, code, **opts):
    CASES.append((name, code.strip('\n'), opts))
# A case with opts['prelude'] runs prelude + '\n' + code; the golden test marks the code after it as the
# learner's (learnerSpan), as a host does with a template.

# --- creation
case('array-int', 'np.array([1, 2, 3])')
case('array-float', 'np.array([1, 2.5, 3])')
case('array-bool', 'np.array([True, False])')
case('array-nested', 'np.array([[1, 2], [3, 4], [5, 6]])')
case('array-of-arrays', 'np.array([u, u * 2])')
case('array-dtype', 'np.array([1, 2, 3], dtype=np.float32)')
case('array-ragged', 'np.array([[1, 2], [3]])')
case('array-scalar0d', 'np.array(5.0)')
case('zeros-tuple', 'np.zeros((2, 3))')
case('zeros-int', 'np.zeros(4)')
case('zeros-dtype', 'np.zeros((2, 2), dtype=int)')
case('ones', 'np.ones((3, 1))')
case('zeros-like', 'np.zeros_like(m)')
case('ones-like', 'np.ones_like(a)')
case('full', 'np.full((2, 3), 7)')
case('full-float', 'np.full((2,), 0.5)')
case('eye', 'np.eye(3)')
case('eye-rect', 'np.eye(2, 4, k=1)')
case('tri', 'np.tri(3, 4, k=-1)')
case('triu', 'np.triu(np.arange(12).reshape(3, 4))')
case('triu-k1-ones', 'np.triu(np.ones((4, 4)), k=1)')
case('tril-3d', 'np.tril(np.arange(18.0).reshape(2, 3, 3), k=-1)')
case('causal-mask-where', 'mask = np.triu(np.ones((3, 3)), k=1) == 1\nnp.where(mask, -1e9, np.arange(9.0).reshape(3, 3))')
case('float-trailing-dot', 'x = 1.\nnp.array([1., 2.5, 3.]) * x')
case('identity', 'np.identity(2)')
case('arange-stop', 'np.arange(5)')
case('arange-start-stop', 'np.arange(2, 7)')
case('arange-step', 'np.arange(0, 10, 3)')
case('arange-neg-step', 'np.arange(5, 0, -2)')
case('arange-float', 'np.arange(0, 1, 0.25)')
case('linspace', 'np.linspace(0, 1, 5)')
case('linspace-noend', 'np.linspace(0, 1, 4, endpoint=False)')
case('linspace-default', 'np.linspace(-1, 1).shape')
case('asarray-list', 'np.asarray([[1.5, 2], [3, 4]])')
case('empty-shape', 'np.empty((2, 3)).shape')

# --- elementwise
for fn, arg in [('exp', 'a'), ('log', 'np.abs(a) + 0.5'), ('sqrt', 'np.abs(b)'), ('tanh', 'a'), ('sin', 'a'),
                ('cos', 'a'), ('abs', 'a'), ('sign', 'a'), ('square', 'a'), ('abs', 'n'), ('sign', 'n'),
                ('square', 'n'), ('exp', 'm'), ('sqrt', 'm'), ('log1p', 'np.abs(v)'), ('floor', 'a * 3'),
                ('ceil', 'a * 3')]:
    case(f'{fn}-{re.sub("[^a-z0-9]+", "", arg)}', f'np.{fn}({arg})')
case('exp-scalar', 'np.exp(1.0)')
case('log-zero', 'np.log(np.array([0.0, 1.0]))')
case('sqrt-neg', 'np.sqrt(np.array([-1.0, 4.0]))')
case('power-arr-scalar', 'np.power(a, 2)')
case('power-arr-arr', 'np.power(np.abs(a) + 1, b)')
case('power-int', 'np.power(m, 2)')
case('maximum-scalar', 'np.maximum(a, 0)')
case('maximum-bcast', 'np.maximum(a, v)')
case('minimum', 'np.minimum(a, b)')
case('minimum-int', 'np.minimum(m, 5)')
case('where-3', 'np.where(a > 0, a, 0.0)')
case('where-bcast', 'np.where(v > 0, 1, -1)')
case('where-1', 'np.where(n > 0)')
case('clip', 'np.clip(a, -1, 1)')
case('clip-int', 'np.clip(n, 0, 4)')
case('clip-method', 'a.clip(-0.5, 0.5)')
case('round', 'np.round(a, 1)')
case('round-half-even', 'np.round(np.array([0.5, 1.5, 2.5, -0.5]))')
case('isnan', 'np.isnan(np.array([1.0, np.nan]))')

# --- operators and dtype promotion
case('add-bcast-row', 'a + v')
case('add-bcast-col', 'a + u[:, None]')
case('add-bcast-3d', 'x3 + v')
case('sub-scalar', '1 - a')
case('mul-int-float', 'm * 0.5')
case('mul-int-int', 'm * 2')
case('truediv-int', 'm / 4')
case('truediv-int-int', 'np.array([7, -7]) / 2')
case('floordiv-int', 'np.array([7, -7, 8]) // 2')
case('floordiv-float', 'np.array([7.5, -7.5]) // 2')
case('mod-int', 'np.array([7, -7, 5]) % 3')
case('mod-float', 'np.array([7.5, -7.5]) % 2')
case('mod-neg-divisor', 'np.array([7, -7]) % -3')
case('pow-float', 'a ** 2')
case('pow-neg-exp', 'np.abs(a) ** -1 if False else (np.abs(a) + 1) ** -1')
case('pow-scalar-base', '2 ** v')
case('neg', '-a')
case('bool-add', 'np.array([True, False]) + np.array([True, True])')
case('bool-plus-int', 'np.array([True, False]) + 1')
case('bool-sum', '(a > 0).sum()')
case('bool-mean', '(a > 0).mean()')
case('compare-lt', 'a < b')
case('compare-eq-int', 'm == 5')
case('compare-ne', 'n != 1')
case('logical-and', '(a > 0) & (a < 1)')
case('logical-or', '(a < -1) | (a > 1)')
case('logical-not', '~(a > 0)')
case('bcast-error', 'a + c')
case('bcast-error-3d', 'x3 + c')
case('bool-sub-error', 'np.array([True]) - np.array([False])')
case('int-neg-power-error', 'np.array([2]) ** -1')
case('py-int-ops', '7 // 2, -7 // 2, 7 % 3, -7 % 3, 2 ** 10, 7 / 2')
case('py-float-ops', '7.5 // 2, -7.5 % 2, 2.0 ** 0.5, 1e-5 * 3')
case('py-zero-div', '1 / 0')
case('py-zero-floordiv', '1 // 0')
case('py-zero-mod', '5 % 0')
case('py-mixed', '3 + 2.5, True + True, 3 * False')
case('py-str-concat', '"ab" + "cd", "x" * 3')
case('py-list-ops', '[1, 2] + [3], [0] * 3, (1,) + (2, 3)')
case('py-compare-chain', '1 < 2 < 3, 1 < 3 < 2, 2 == 2.0, "a" < "b"')
case('py-bool-ops', '0 or 5, 3 and 4, not 0, None or "x"')
case('py-ifexp', '"pos" if flt > 0 else "neg"')
case('py-unary', '-k, +k, -flt, not k')
case('scalar-times-array', 'rate * grad')
case('numpy-scalar-arith', 'np.sum(a) * 2 + 1')
case('float-of-scalar', 'float(np.max(a))')
case('int-of-scalar', 'int(np.argmax(a))')

# --- reductions
for fn in ['sum', 'mean', 'max', 'min', 'prod', 'var', 'std', 'argmax', 'argmin']:
    case(f'{fn}-all', f'np.{fn}(a)')
    case(f'{fn}-axis0', f'np.{fn}(a, axis=0)')
    case(f'{fn}-axis1', f'a.{fn}(axis=1)')
    case(f'{fn}-neg-axis', f'np.{fn}(x3, axis=-1)')
for fn in ['sum', 'mean', 'max', 'min', 'var', 'std']:
    case(f'{fn}-keepdims', f'np.{fn}(a, axis=1, keepdims=True)')
    case(f'{fn}-tuple-axis', f'np.{fn}(x3, axis=(0, 2))')
case('sum-int', 'm.sum(axis=0)')
case('sum-int-all', 'np.sum(m)')
case('max-int', 'np.max(n)')
case('prod-int', 'np.prod(np.array([1, 2, 3, 4]))')
case('mean-int', 'np.mean(m, axis=1)')
case('argmax-int', 'np.argmax(n)')
case('argmax-3d-axis1', 'np.argmax(x3, axis=1)')
case('sum-axis-error', 'np.sum(a, axis=2)')
case('max-empty-error', 'np.max(np.array([]))')
case('std-ddof', 'np.std(a, ddof=1)')
case('var-axis0-ddof', 'np.var(a, axis=0, ddof=1)')
case('cumsum', 'np.cumsum(m, axis=1)')
case('cumsum-flat', 'np.cumsum(v)')
case('any-all', 'np.any(a > 1.9), np.all(a > -2), (a > 0).any(axis=0)')
case('sum-keepdims-all', 'np.sum(a, keepdims=True)')

# --- linear algebra
case('dot-2d-2d', 'np.dot(a, w)')
case('dot-1d-1d', 'np.dot(v, v)')
case('dot-2d-1d', 'np.dot(a, v)')
case('dot-1d-2d', 'np.dot(u, a)')
case('dot-scalar', 'np.dot(a, 2)')
case('dot-method', 'a.dot(w)')
case('dot-3d-2d', 'np.dot(x3, w)')
case('dot-mismatch', 'np.dot(a, b)')
case('dot-int', 'np.dot(m, m.T)')
case('matmul-2d', 'np.matmul(a, w)')
case('matmul-op', 'a @ w')
case('matmul-1d-1d', 'v @ v')
case('matmul-2d-1d', 'a @ v')
case('matmul-1d-2d', 'u @ a')
case('matmul-batch', 'x3 @ w')
case('matmul-batch-bcast', 'x3 @ x3.transpose(0, 2, 1)')
case('matmul-mismatch', 'a @ b')
case('matmul-scalar-error', 'np.matmul(a, 2)')
case('outer', 'np.outer(u, v)')
case('outer-2d', 'np.outer(c, u)')
case('transpose', 'np.transpose(a)')
case('transpose-axes', 'np.transpose(x3, (1, 0, 2))')
case('transpose-method-args', 'x3.transpose(2, 0, 1).shape')
case('T', 'a.T')
case('T-1d', 'v.T')
case('T-3d', 'x3.T.shape')
case('norm-vec', 'np.linalg.norm(v)')
case('norm-mat', 'np.linalg.norm(a)')
case('norm-axis', 'np.linalg.norm(a, axis=1)')
case('norm-ord1', 'np.linalg.norm(v, ord=1)')
case('norm-inf', 'np.linalg.norm(v, np.inf)')
case('norm-keepdims', 'np.linalg.norm(a, axis=0, keepdims=True)')

# --- shape
case('reshape-tuple', 'm.reshape((4, 3))')
case('reshape-varargs', 'm.reshape(2, 6)')
case('reshape-neg1', 'm.reshape(-1, 2)')
case('reshape-fn', 'np.reshape(m, (2, -1))')
case('reshape-flat', 'x3.reshape(-1)')
case('reshape-error', 'm.reshape(5, 2)')
case('reshape-two-unknown', 'm.reshape(-1, -1)')
case('flatten', 'a.flatten()')
case('ravel', 'np.ravel(x3).shape')
case('concat-axis0', 'np.concatenate([a, b], axis=0)')
case('concat-axis1', 'np.concatenate([a, c], axis=1)')
case('concat-default', 'np.concatenate((a, b))')
case('concat-neg-axis', 'np.concatenate([a, c], axis=-1)')
case('concat-error', 'np.concatenate([a, c], axis=0)')
case('concat-ndim-error', 'np.concatenate([a, v])')
case('concat-none', 'np.concatenate([a, c], axis=None)')
case('concat-int-float', 'np.concatenate([m, a])')
case('concat-1d', 'np.concatenate([u, v])')
case('concat-axis-error', 'np.concatenate([a, b], axis=2)')
case('stack-0', 'np.stack([u, u * 2])')
case('stack-1', 'np.stack([u, u * 2], axis=1)')
case('stack-neg', 'np.stack([a, b], axis=-1).shape')
case('stack-error', 'np.stack([a, c])')
case('hstack-2d', 'np.hstack([a, c])')
case('hstack-1d', 'np.hstack([u, v])')
case('vstack-2d', 'np.vstack([a, b])')
case('vstack-1d', 'np.vstack([v, v * 2])')
case('split-equal', 'np.split(m, 2, axis=1)')
case('split-indices', 'np.split(np.arange(10), [3, 7])')
case('split-uneven-error', 'np.split(m, 3, axis=1)')
case('hsplit', 'np.hsplit(m, 4)')
case('hsplit-unpack', 'p, q = np.hsplit(a, 2)\np - q')
case('expand-dims-0', 'np.expand_dims(v, 0)')
case('expand-dims-neg', 'np.expand_dims(a, -1).shape')
case('expand-dims-tuple', 'np.expand_dims(v, (0, 2)).shape')
case('squeeze', 'np.squeeze(np.zeros((1, 3, 1))).shape')
case('squeeze-axis', 'np.squeeze(np.zeros((1, 3, 1)), axis=0).shape')
case('squeeze-error', 'np.squeeze(a, axis=0)')
case('flip-all', 'np.flip(a)')
case('flip-axis', 'np.flip(a, axis=1)')
case('flip-1d', 'np.flip(v)')
case('shape-attrs', 'x3.shape, x3.ndim, x3.size, len(x3)')
case('copy', 'z = a.copy()\nz[0, 0] = 100\na[0, 0], z[0, 0]')
case('astype-int', 'a.astype(int)')
case('astype-float', 'm.astype(np.float32) / 3')
case('astype-bool', 'n.astype(bool)')
case('dtype-kind', 'str(m.dtype)[:3], str(a.dtype)[:5], str((a > 0).dtype)')
case('tile', 'np.tile(u, (2, 2))')
case('repeat', 'np.repeat(u, 2)')
case('swapaxes', 'np.swapaxes(x3, 0, 2).shape')

# --- indexing
case('idx-int', 'a[1]')
case('idx-neg', 'a[-1]')
case('idx-2', 'a[1, 2]')
case('idx-chain', 'a[1][2]')
case('idx-slice', 'a[1:]')
case('idx-slice-step', 'm[::2, 1::2]')
case('idx-reverse', 'h_b[::-1]')
case('idx-reverse-cols', 'm[:, ::-1]')
case('idx-neg-slices', 'm[-2:, :-1]')
case('idx-col', 'm[:, 2]')
case('idx-col-expr', 'k = 1\nm[:, k + 1]')
case('idx-newaxis', 'v[:, np.newaxis].shape, v[None, :].shape, v[np.newaxis].shape')
case('idx-none-mid', 'a[:, None, :].shape')
case('idx-ellipsis', 'x3[..., 1]')
case('idx-ellipsis-front', 'x3[0, ...].shape')
case('idx-fancy-list', 'a[[0, 2]]')
case('idx-fancy-array', 'E[idx]')
case('idx-fancy-2', 'm[[0, 1, 2], [3, 2, 1]]')
case('idx-fancy-col', 'm[:, [0, 3]]')
case('idx-fancy-int-mix', 'm[1, [0, 2]]')
case('idx-fancy-nonadjacent', 'x3[[0, 1], :, [1, 2]]')
case('idx-fancy-adjacent', 'x3[:, [0, 2], [1, 3]]')
case('idx-fancy-2d', 'v[np.array([[0, 1], [2, 3]])]')
case('idx-fancy-neg', 'v[[-1, -2]]')
case('idx-fancy-bcast', 'm[np.array([[0], [2]]), np.array([1, 3])]')
case('idx-bool-mask', 'a[a > 0]')
case('idx-bool-1d', 'n[mask]')
case('idx-bool-rows', 'a[np.array([True, False, True])]')
case('idx-bool-list', 'u[[True, False, True]]')
case('idx-bool-cols', 'a[:, np.array([True, False, False, True])]')
case('idx-out-of-bounds', 'a[3]')
case('idx-out-of-bounds-col', 'a[0, 4]')
case('idx-too-many', 'v[0, 0]')
case('idx-float-error', 'v[1.0]')
case('idx-bool-shape-error', 'a[np.array([True, False])]')
case('idx-fancy-oob', 'v[[0, 9]]')
case('idx-scalar-type', 'a[0, 0] + 1')
case('idx-empty-slice', 'a[2:1].shape')
case('idx-slice-oob', 'v[1:100]')
case('idx-neg-step-partial', 'np.arange(10)[7:2:-2]')
case('idx-neg-step-to-start', 'np.arange(10)[3::-1]')

# --- assignment into arrays
case('set-elem', 'z = np.zeros((2, 3))\nz[1, 2] = 5\nz')
case('set-row', 'z = np.zeros((2, 3))\nz[0] = u\nz')
case('set-col-expr', 'z = np.zeros((3, 5))\nt = 2\nz[:, t + 1] = u\nz')
case('set-slice-scalar', 'z = np.arange(10)\nz[2:5] = 0\nz')
case('set-mask', 'z = a.copy()\nz[z < 0] = 0\nz')
case('set-mask-values', 'z = a.copy()\nz[z < 0] = z[z < 0] * 10\nz')
case('set-fancy', 'z = np.zeros(5)\nz[[0, 3]] = [1, 2]\nz')
case('set-int-array-float', 'z = np.arange(4)\nz[1] = 2.7\nz')
case('set-bcast-error', 'z = np.zeros((2, 3))\nz[0] = np.ones(2)\nz')
case('set-chain-view', 'z = np.zeros((2, 3))\nz[1][2] = 7\nz')
case('set-row-view', 'z = np.zeros((2, 3))\nrow = z[0]\nrow[:] = 4\nz')
case('set-iadd-slice', 'z = np.ones((2, 3))\nz[:, 1] += 5\nz')
case('set-iadd-alias', 'z = np.ones(3)\ny = z\ny += 1\nz')
case('set-iadd-dtype-error', 'z = np.arange(3)\nz += 1.5\nz')
case('set-loop-rows', 'z = np.zeros((3, 2))\nfor i in range(3):\n    z[i] = i * 2\nz')
case('set-2d-block', 'z = np.zeros((4, 4))\nz[1:3, 1:3] = np.ones((2, 2))\nz')
case('set-neg-idx', 'z = np.zeros(4)\nz[-1] = 3\nz')
case('set-shape-attr', 'z = np.arange(6)\nz.shape = (2, 3)\nz')
# basic indices (ints, slices, None, ...) write at strided offsets: broadcasting, steps, casting, views
case('set-bcast-row-into-block', 'z = np.zeros((3, 4))\nz[1:, ::2] = np.array([1.0, 2.0])\nz')
case('set-bcast-col', 'z = np.zeros((3, 4))\nz[:, 1:3] = np.array([[1.0], [2.0], [3.0]])\nz')
case('set-bcast-leading-ones', 'z = np.zeros((2, 3))\nz[1] = np.ones((1, 1, 3)) * 4\nz')
case('set-neg-step', 'z = np.arange(10)\nz[8:1:-3] = [100, 200, 300]\nz')
case('set-neg-step-2d', 'z = np.zeros((3, 4))\nz[::-1, ::-2] = np.arange(6).reshape(3, 2)\nz')
case('set-ellipsis-last', 'z = np.zeros((2, 3, 4))\nz[..., 1] = np.arange(6).reshape(2, 3)\nz')
case('set-ellipsis-first', 'z = np.zeros((2, 3, 4))\nz[1, ...] = x3[0]\nz')
case('set-ellipsis-float-into-int', 'z = np.ones((2, 2), dtype=int)\nz[...] = np.array([[1.9, -2.9], [3.5, 0.2]])\nz')
case('set-int-slice-3d', 'z = np.zeros((2, 3, 4))\nz[:, 1, 1:3] = np.array([[1, 2], [3, 4]])\nz')
case('set-time-step-loop', 'z = np.zeros((2, 3, 4))\nfor t in range(3):\n    z[:, t, :] = x3[:, t, :] * (t + 1)\nz')
case('set-newaxis', 'z = np.zeros((2, 3))\nz[None, 1, :] = u\nz[:, None, 0] = np.array([[5.0], [6.0]])\nz')
case('set-float-into-bool', 'z = np.zeros(4, dtype=bool)\nz[1:3] = np.array([0.0, 2.5])\nz')
case('set-bool-into-int', 'z = np.arange(4)\nz[::2] = True\nz')
case('set-int-into-bool', 'z = np.zeros(3, dtype=bool)\nz[...] = np.array([0, 2, -1])\nz')
case('set-empty-selection', 'z = np.zeros(4)\nz[3:1] = 5\nz[2:2] = np.ones(1)\nz')
case('set-empty-mismatch-error', 'z = np.zeros(4)\nz[3:1] = np.ones(3)\nz')
case('set-fancy-empty-mismatch-error', 'z = np.zeros(4)\nz[[]] = 5\nz[[]] = np.ones(3)\nz')
case('set-bcast-error-2d', 'z = np.zeros((3, 4))\nz[:, :2] = np.ones((3, 3))\nz')
case('set-oob-int-error', 'z = np.zeros((2, 3))\nz[2, 0] = 1\nz')
case('set-too-many-error', 'z = np.zeros((2, 3))\nz[0, 0, 0] = 1\nz')
case('set-view-neg-step', 'z = np.zeros((2, 4))\nr = z[1, ::-1]\nr[:2] = [7, 8]\nz')
case('set-view-of-view', 'z = np.zeros((3, 4))\nblk = z[1:, 1:]\nrow = blk[0]\nrow[::2] = 5\nz')
case('set-0d', 'z = np.array(3.0)\nz[...] = 7\ny = np.array(1)\ny[()] = 8\nz, y')
case('set-alias-ellipsis', 'g = np.zeros(3)\nh = g\ng[...] = u\nh')
case('set-list-grads-ellipsis', 'grads = [np.zeros((2, 2)), np.zeros(2)]\nfor k, gr in enumerate([np.ones((2, 2)), u[:2]]):\n    grads[k][...] = gr\ngrads')
case('idx-3d-steps', 'x3[:, ::-1, 1::2]')
case('idx-3d-newaxis', 'x3[..., None, 2]')
case('idx-3d-int-last', 'x3[1, :, -1]')
case('idx-int-neg-steps', 'm[::-1, 3:0:-2]')
case('idx-bool-step', 'mask[::3]')

# --- Python statements and builtins
case('for-range', 's = 0\nfor i in range(5):\n    s += i\ns')
case('for-range-step', '[i for i in range(10, 0, -3)]')
case('for-enumerate', 'out = []\nfor i, x in enumerate([10, 20]):\n    out.append(i * x)\nout')
case('for-zip', '[p * q for p, q in zip([1, 2, 3], [4, 5, 6])]')
case('for-reversed', 'list(reversed([1, 2, 3]))')
case('for-array-rows', 'out = []\nfor row in a:\n    out.append(row.sum())\nnp.array(out)')
case('for-array-1d', 'sum(x * 2 for x in v)')
case('for-tuple', 'acc = 1\nfor x in (2, 3, 4):\n    acc *= x\nacc')
case('for-break-continue', 'out = []\nfor i in range(10):\n    if i % 2 == 0:\n        continue\n    if i > 6:\n        break\n    out.append(i)\nout')
case('for-else', 'for i in range(3):\n    pass\nelse:\n    i = 99\ni')
case('while', 'i = 0\nwhile i < 5:\n    i += 2\ni')
case('while-break', 'i = 0\nwhile True:\n    i += 1\n    if i == 4:\n        break\ni')
case('if-elif-else', 'def sign(x):\n    if x > 0:\n        return 1\n    elif x < 0:\n        return -1\n    else:\n        return 0\n[sign(-3), sign(0), sign(2)]')
case('def-defaults', 'def f(x, y=2, z=3):\n    return x * y + z\nf(1), f(1, 5), f(1, z=0)')
case('def-kwargs-error', 'def f(x):\n    return x\nf(y=1)')
case('def-missing-arg', 'def f(x, y):\n    return x\nf(1)')
case('recursion', 'def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\nfib(15)')
case('closure', 'def make(k):\n    def add(x):\n        return x + k\n    return add\nmake(3)(4)')
case('lambda', 'f = lambda x, y=1: x * y\nf(3), f(3, 4)')
case('lambda-sorted', 'sorted([(1, "b"), (0, "c"), (2, "a")], key=lambda p: p[1])')
case('listcomp-tuple-target', 'np.array([np.concatenate([p, q]) for p, q in zip(h_f, h_b)])')
case('listcomp-if', '[x for x in range(10) if x % 3 == 0]')
case('listcomp-nested', '[i * j for i in range(3) for j in range(2)]')
case('dictcomp', '{k: k * k for k in range(3)}')
case('tuple-unpack', 'p, q = 1, 2\np, q = q, p\np, q')
case('tuple-unpack-nested', '(p, q), r = (1, 2), 3\np + q + r')
case('tuple-unpack-error', 'p, q = 1, 2, 3')
case('unpack-array', 'r0, r1, r2 = m\nr1')
case('star-unpack', 'first, *rest = [1, 2, 3, 4]\nrest')
case('aug-ops', 'x = 10\nx -= 3\nx *= 2\nx //= 3\nx **= 2\nx %= 7\nx')
case('list-methods', 'l = [1, 2]\nl.append(3)\nl.extend([4, 5])\nlast = l.pop()\nfirst = l.pop(0)\nl, last, first')
case('dict-ops', 'd = {"w": 1, "b": 2}\nd["c"] = 3\nd.get("w"), d.get("z", 0), list(d.keys()), list(d.values()), [kv for kv in d.items()]')
case('dict-keyerror', 'd = {"a": 1}\nd["b"]')
case('dict-iter', 'd = {"x": 1, "y": 2}\ntotal = 0\nfor key in d:\n    total += d[key]\ntotal')
case('len-builtins', 'len([1, 2]), len((1,)), len("abc"), len({"a": 1}), len(range(5)), len(m)')
case('min-max', 'min(3, 1, 2), max([4, 9, 2]), min(lst), max(lst, key=lambda x: -x)')
case('abs-round', 'abs(-3), abs(-2.5), round(2.5), round(3.5), round(2.675, 2), round(-0.5)')
case('sum-builtin', 'sum([1, 2, 3]), sum([0.5, 0.25]), sum(range(5), 10)')
case('type-conv', 'float(3), int(3.9), int(-3.9), bool(0), bool([1]), list((1, 2)), tuple([3])')
case('isinstance', 'isinstance(3, int), isinstance(3.0, float), isinstance([1], list), isinstance((1,), tuple), isinstance({}, dict), isinstance(True, int), isinstance("a", (int, str))')
case('print-basic', 'print(1, 2.5, "x", True, None)\nprint([1, 2], (3,), end="")', stdout=True)
case('print-array-int', 'print(m)', stdout=True)
case('print-array-float', 'print(np.array([[0.5, 1.25], [3, 4]]))', stdout=True)
case('print-array-1d', 'print(np.array([1.0, 2.0, 3.0]))', stdout=True)
case('print-scalar', 'print(np.sum(m), np.float32(1.5))', stdout=True)
case('print-fstring', 'x = 3.14159\nprint(f"x={x:.2f}, n={len(lst)}")', stdout=True)
case('print-sep', 'print("a", "b", sep="-")', stdout=True)
case('name-error', 'undefined_name + 1')
case('attr-error', 'a.nonexistent')
case('type-error-call', 'k()')
case('type-error-add', '"a" + 1')
case('index-error-list', '[1, 2][5]')
case('zero-div-in-fn', 'def f(x):\n    return x / 0\nf(1)')
case('assert-fail', 'assert 1 == 2, "boom"')
case('unbound-local', 'x = 1\ndef f():\n    x += 1\n    return x\nf()')
case('global-stmt', 'count = 0\ndef inc():\n    global count\n    count += 1\ninc()\ninc()\ncount')
case('none-value', 'x = None\nx is None, x is not None')
case('in-operator', '2 in [1, 2], "a" in {"a": 1}, 5 not in (1, 2), "bc" in "abc"')
case('string-format', '"{} + {} = {:.1f}".format(1, 2, 3.0)')
case('percent-format', '"%.3f and %d" % (3.14159, 42)')
case('slice-list', 'lst[1:3], lst[::-1], lst[-2:]')
case('tuple-index', 't = (1, 2, 3)\nt[-1], t[:2]')
case('range-list', 'list(range(3)), list(range(1, 10, 4))')
case('ambiguous-truth', 'if a:\n    pass')
case('array-in-if-size1', 'x = np.array([5])\n"yes" if x else "no"')

# --- random (shapes, dtypes and determinism only; values differ from numpy by design)
case('random-seed-rand', 'np.random.seed(0)\nnp.random.rand(3, 2).shape')
case('random-randn', 'np.random.randn(4).shape')
case('random-randint', 'r = np.random.randint(0, 5, size=(2, 3))\nr.shape, str(r.dtype)[:3], bool((r >= 0).all() and (r < 5).all())')
case('random-rng', 'rng = np.random.default_rng(42)\nrng.normal(0, 1, size=(2, 2)).shape, rng.random(3).shape, rng.integers(0, 10, size=4).shape')
case('random-rand-range', 'x = np.random.rand(100)\nbool(x.min() >= 0), bool(x.max() < 1)')
case('random-choice', 'c = sorted(np.random.choice(5, 3, replace=False).tolist())\nall(c[i] < c[i + 1] for i in range(len(c) - 1)), len(c)')
case('random-permutation', 'np.sort(np.random.permutation(5))')

# --- course DL building blocks
case('dl-sigmoid', 'def sigmoid(x):\n    return 1 / (1 + np.exp(-x))\nsigmoid(a)')
case('dl-sigmoid-grad', 'def sigmoid(x):\n    return 1 / (1 + np.exp(-x))\ny = sigmoid(a)\ndout * 0 if False else (1 - y) * y')
case('dl-relu', 'np.maximum(0, a)')
case('dl-relu-grad', 'dx = dout.copy()\ndx[h_f <= 0] = 0\ndx')
case('dl-tanh-grad', 'y = np.tanh(a)\n1 - y ** 2')
case('dl-softmax-1d', 'x = v - np.max(v)\nnp.exp(x) / np.sum(np.exp(x))')
case('dl-softmax-2d', 'x = a - np.max(a, axis=1, keepdims=True)\ne = np.exp(x)\ne / np.sum(e, axis=1, keepdims=True)')
case('dl-softmax-T', 'x = a.T\nx = x - np.max(x, axis=0)\ny = np.exp(x) / np.sum(np.exp(x), axis=0)\ny.T')
case('dl-cross-entropy', 'delta = 1e-7\n-np.sum(t_onehot * np.log(probs + delta)) / probs.shape[0]')
case('dl-cross-entropy-labels', '-np.sum(np.log(probs[np.arange(2), labels] + 1e-7)) / 2')
case('dl-mse', '0.5 * np.sum((a - b) ** 2)')
case('dl-affine', 'x = E[:3]\nx.dot(W) + bias')
case('dl-affine-backward', 'x = E[:3]\ndy = np.ones((3, 8))\ndW = x.T.dot(dy)\ndb = np.sum(dy, axis=0)\ndx = dy.dot(W.T)\ndW.shape, db, dx.shape')
case('dl-embedding', 'E[idx]')
case('dl-embedding-dot', 'E.dot(v)')
case('dl-rnn-step', 'x = xs[0:1]\nh_prev = np.zeros((1, 4))\nnp.tanh(np.dot(h_prev, Wh) + np.dot(x, Wx) + bh)')
case('dl-rnn-loop', 'h = np.zeros((1, 4))\nhs = []\nfor t in range(xs.shape[0]):\n    h = np.tanh(xs[t:t+1] @ Wx + h @ Wh + bh)\n    hs.append(h)\nnp.concatenate(hs, axis=0)')
case('dl-birnn-concat', 'np.concatenate([h_f, h_b[::-1]], axis=1)')
case('dl-birnn-listcomp', 'hs_f = list(h_f)\nhs_b = list(h_b[::-1])\nnp.array([np.concatenate([p, q]) for p, q in zip(hs_f, hs_b)])')
case('dl-lstm-step', '''
def sigmoid(x):
    return 1 / (1 + np.exp(-x))
x = xs[0:1]
h_prev = np.zeros((1, 2))
c_prev = np.full((1, 2), 0.5)
Wl = np.cos(np.arange(24) * 0.37).reshape(3, 8) * 0.5
Ul = U
z = x.dot(Wl) + h_prev.dot(Ul) + bias
f, g, i, o = np.hsplit(z, 4)
f = sigmoid(f)
g = np.tanh(g)
i = sigmoid(i)
o = sigmoid(o)
c = f * c_prev + g * i
h = o * np.tanh(c)
np.concatenate([h, c], axis=1)
''')
case('dl-lstm-cell', 'input_gate * ca + forget_gate * cc')
case('dl-gru-step', '''
def sigmoid(x):
    return 1 / (1 + np.exp(-x))
x = xs[1:2]
h = np.full((1, 4), 0.1)
Wz, Wr, Wh_ = Wx, Wx * 0.5, Wx * -0.3
Uz, Ur, Uh = Wh, Wh.T, Wh * 0.2
z = sigmoid(x @ Wz + h @ Uz)
r = sigmoid(x @ Wr + h @ Ur)
h_hat = np.tanh(x @ Wh_ + (r * h) @ Uh)
(1 - z) * h + z * h_hat
''')
case('dl-bptt-loop', '''
T = xs.shape[0]
hs = np.zeros((T + 1, 4))
for t in range(T):
    hs[t + 1] = np.tanh(xs[t] @ Wx + hs[t] @ Wh + bh)
dWx = np.zeros_like(Wx)
dWh = np.zeros_like(Wh)
dh_next = np.zeros(4)
for t in reversed(range(T)):
    dh = dout[t] + dh_next
    dt = dh * (1 - hs[t + 1] ** 2)
    dWx += np.outer(xs[t], dt)
    dWh += np.outer(hs[t], dt)
    dh_next = dt @ Wh.T
dWx, dWh
''')
case('dl-bptt-delta', 'delta_t.dot(W.T[:4, :].T[:4] if False else Wh)')
case('dl-grad-clip', '''
grads = [g1, g2]
max_norm = 2.0
total_norm = np.sqrt(sum(np.sum(g ** 2) for g in grads))
rate = max_norm / (total_norm + 1e-6)
if rate < 1:
    for g in grads:
        g *= rate
grads
''')
case('dl-grad-clip-dict', '''
grads = {"W": g1.copy(), "b": g2.copy()}
total = 0.0
for key in grads:
    total += np.sum(grads[key] ** 2)
total = np.sqrt(total)
if total > 1.0:
    for key in grads:
        grads[key] *= 1.0 / total
grads["W"], grads["b"]
''')
case('dl-grad-times-rate', 'grad * rate')
case('dl-attention', '''
d = Q.shape[-1]
scores = Q @ K.T / np.sqrt(d)
scores = scores - scores.max(axis=-1, keepdims=True)
weights = np.exp(scores) / np.exp(scores).sum(axis=-1, keepdims=True)
weights @ V
''')
case('dl-attention-weights-sum', 's = Q.dot(K.T)\nw_ = np.exp(s) / np.sum(np.exp(s), axis=1, keepdims=True)\nw_.sum(axis=1)')
case('dl-positional-encoding', '''
max_len, d_model = 6, 8
pe = np.zeros((max_len, d_model))
pos = np.arange(max_len)[:, np.newaxis]
div = np.exp(np.arange(0, d_model, 2) * -(np.log(10000.0) / d_model))
pe[:, 0::2] = np.sin(pos * div)
pe[:, 1::2] = np.cos(pos * div)
pe
''')
case('dl-positional-encoding-power', '''
pos = np.arange(4).reshape(-1, 1)
i = np.arange(6).reshape(1, -1)
angle = pos / np.power(10000, (2 * (i // 2)) / 6)
np.where(i % 2 == 0, np.sin(angle), np.cos(angle))
''')
case('dl-iou', '''
def iou(p, q):
    x1 = max(p[0], q[0])
    y1 = max(p[1], q[1])
    x2 = min(p[2], q[2])
    y2 = min(p[3], q[3])
    inter = max(0, x2 - x1) * max(0, y2 - y1)
    area_p = (p[2] - p[0]) * (p[3] - p[1])
    area_q = (q[2] - q[0]) * (q[3] - q[1])
    return inter / (area_p + area_q - inter)
float(iou(box_a, box_b))
''')
case('dl-iou-vectorized', '''
b0 = boxes[0]
x1 = np.maximum(b0[0], boxes[:, 0])
y1 = np.maximum(b0[1], boxes[:, 1])
x2 = np.minimum(b0[2], boxes[:, 2])
y2 = np.minimum(b0[3], boxes[:, 3])
inter = np.maximum(0, x2 - x1) * np.maximum(0, y2 - y1)
areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
inter / (areas[0] + areas - inter)
''')
case('dl-q-learning', '''
Qt = qtable.copy()
s, act, reward, s_next = 1, 2, 1.0, 3
alpha, gamma_ = 0.1, 0.9
Qt[s, act] = Qt[s, act] + alpha * (reward + gamma_ * np.max(Qt[s_next]) - Qt[s, act])
Qt
''')
case('dl-q-greedy', 'np.argmax(qtable[2]), qtable.argmax(axis=1)')
case('dl-batchnorm', '''
mu = X.mean(axis=0)
xc = X - mu
var = np.mean(xc ** 2, axis=0)
std = np.sqrt(var + 1e-7)
xn = xc / std
gamma * xn + beta
''')
case('dl-batchnorm-stats', 'xn = (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) + 1e-7)\nxn.mean(axis=0), xn.std(axis=0)')
case('dl-dropout-mask', 'mask_ = E > 0\n(E * mask_).sum()')
case('dl-momentum', 'vel = np.zeros_like(grad)\nfor _ in range(3):\n    vel = 0.9 * vel - 0.1 * grad\nvel')
case('dl-adam-step', '''
m_ = np.zeros_like(grad)
v_ = np.zeros_like(grad)
param = np.ones_like(grad)
for t in range(1, 4):
    m_ = 0.9 * m_ + 0.1 * grad
    v_ = 0.999 * v_ + 0.001 * grad ** 2
    mh = m_ / (1 - 0.9 ** t)
    vh = v_ / (1 - 0.999 ** t)
    param -= 0.01 * mh / (np.sqrt(vh) + 1e-8)
param
''')
case('dl-im2col-like', 'x = np.arange(16.0).reshape(4, 4)\nnp.array([x[i:i+2, j:j+2].flatten() for i in range(3) for j in range(3)])')
case('dl-maxpool', 'x = np.arange(16.0).reshape(4, 4)\nx.reshape(2, 2, 2, 2).transpose(0, 2, 1, 3).reshape(2, 2, 4).max(axis=2)')
case('dl-one-hot', 'eye = np.eye(3)\neye[labels]')
case('dl-accuracy', 'y = np.argmax(probs, axis=1)\nnp.sum(y == labels) / float(len(labels))')
case('dl-numerical-grad', '''
def f(x):
    return np.sum(x ** 2)
h = 1e-2
x = np.array([3.0, 4.0])
grad_ = np.zeros_like(x)
for i in range(x.size):
    tmp = x[i]
    x[i] = tmp + h
    fxh1 = f(x)
    x[i] = tmp - h
    fxh2 = f(x)
    grad_[i] = (fxh1 - fxh2) / (2 * h)
    x[i] = tmp
grad_
''')
case('dl-seq2seq-argmax-loop', 'ids = []\nfor t in range(E.shape[0]):\n    ids.append(int(np.argmax(E[t])))\nids')
case('dl-word2vec-cos', 'q = E[0]\nsims = E.dot(q) / (np.linalg.norm(E, axis=1) * np.linalg.norm(q) + 1e-8)\nsims')
case('dl-leaky-relu', 'np.where(a > 0, a, 0.01 * a)')
case('dl-layernorm', 'mu = a.mean(axis=-1, keepdims=True)\nsd = a.std(axis=-1, keepdims=True)\n(a - mu) / (sd + 1e-5)')
case('dl-weight-decay', '0.5 * 0.1 * np.sum(W ** 2)')
case('dl-he-init-shape', 'Wi = np.random.randn(4, 8) * np.sqrt(2.0 / 4)\nWi.shape')

# --- ufunc.at, rint, einsum
case('add-at-repeated', 'z = np.zeros(5)\nnp.add.at(z, [0, 1, 1, 4, 1], 1)\nz')
case('add-at-values', 'z = np.zeros(4)\nnp.add.at(z, np.array([3, 0, 3]), np.array([1.5, 2.0, -0.5]))\nz')
case('add-at-int-index', 'z = np.arange(4)\nnp.add.at(z, 2, 10)\nz')
case('add-at-rows', 'dW = np.zeros((6, 4))\nnp.add.at(dW, idx, a)\ndW')
case('add-at-rows-repeat', 'dW = np.zeros((6, 4))\nnp.add.at(dW, [1, 3, 1], a)\ndW')
case('add-at-embedding-backward', 'dW = np.zeros_like(E)\nids = np.array([[0, 2], [2, 5]])\ndout3 = np.arange(16.0).reshape(2, 2, 4)\nnp.add.at(dW, ids, dout3)\ndW')
case('add-at-tuple-index', 'z = np.zeros((3, 4))\nnp.add.at(z, (np.array([0, 0, 2]), np.array([1, 1, 3])), np.array([1.0, 2.0, 3.0]))\nz')
case('add-at-broadcast-scalar', 'z = np.zeros((3, 2))\nnp.add.at(z, [0, 0, 2], 0.5)\nz')
case('add-at-broadcast-row', 'z = np.zeros((3, 2))\nnp.add.at(z, [2, 2], np.array([1.0, -1.0]))\nz')
case('add-at-aliases', 'z = np.zeros(3)\nholder = [z]\nalias = z\nnp.add.at(holder[0], [0, 2, 2], 1)\nz, alias, holder[0], holder[0] is z')
case('add-at-returns-none', 'z = np.zeros(3)\nr = np.add.at(z, [1], 2)\nr is None, z')
case('add-at-int-truncates', 'z = np.zeros(3, dtype=int)\nnp.add.at(z, [0, 0], 1.7)\nz')
case('add-at-view-row', 'z = np.zeros((2, 3))\nnp.add.at(z[1], [0, 0], 1)\nz')
case('add-at-tuple-int-col', 'z = np.zeros((3, 2))\nnp.add.at(z, (np.array([0, 0, 2]), 1), 1)\nz')
case('add-at-out-of-bounds', 'z = np.zeros(3)\nnp.add.at(z, [5], 1)')
case('add-at-bad-shape', 'z = np.zeros(3)\nnp.add.at(z, [0, 1], [1, 2, 3])')
case('add-at-list-first', 'np.add.at([1, 2], [0], 1)')
case('add-at-missing-b', 'z = np.zeros(3)\nnp.add.at(z, [0])')
case('subtract-at', 'z = np.ones(4)\nnp.subtract.at(z, [0, 0, 3], np.array([0.25, 0.5, 2.0]))\nz')
case('subtract-at-int', 'z = np.zeros(3, dtype=int)\nnp.subtract.at(z, [0, 2], np.array([1.9, 2.2]))\nz')
case('rint-float', 'np.rint(np.array([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, -2.6]))')
case('rint-array', 'np.rint(a * 3)')
case('rint-int', 'np.rint(m)')
case('rint-scalar', 'np.rint(2.5), np.rint(3.5), np.rint(-0.4)')
case('einsum-matmul', "np.einsum('ij,jk->ik', a, w)")
case('einsum-matmul-implicit', "np.einsum('ij,jk', a, w)")
case('einsum-transpose-implicit', "np.einsum('ji', a)")
case('einsum-bth-bh', "hs = x3\nnp.einsum('bth,bh->bt', hs, np.ones((2, 4)) * 0.5)")
case('einsum-attention', "q4 = np.arange(24.0).reshape(1, 2, 3, 4) / 10\nk4 = np.cos(np.arange(40.0)).reshape(1, 2, 5, 4)\nnp.einsum('bhqd,bhkd->bhqk', q4, k4)")
case('einsum-attention-values', "wts = np.arange(30.0).reshape(1, 2, 3, 5) / 30\nv4 = np.sin(np.arange(20.0)).reshape(1, 2, 5, 2)\nnp.einsum('bhqk,bhkd->bhqd', wts, v4)")
case('einsum-trace', "np.einsum('ii', np.arange(9.0).reshape(3, 3))")
case('einsum-trace-int', "np.einsum('ii->', np.arange(9).reshape(3, 3))")
case('einsum-diagonal', "np.einsum('ii->i', np.arange(9).reshape(3, 3))")
case('einsum-sum-all', "np.einsum('ij->', a)")
case('einsum-sum-axis', "np.einsum('ij->j', a)")
case('einsum-dot', "np.einsum('i,i', v, v)")
case('einsum-outer', "np.einsum('i,j->ij', u, v)")
case('einsum-outer-int', "np.einsum('i,j', np.arange(3), np.arange(2))")
case('einsum-three-ops', "np.einsum('ij,jk,kl->il', a, w, c)")
case('einsum-three-ops-implicit', "np.einsum('i,ij,j', u, a[:, :3], u)")
case('einsum-batched', "np.einsum('bij,bjk->bik', x3, np.ones((2, 4, 2)))")
case('einsum-elementwise', "np.einsum('ij,ij->ij', a, b)")
case('einsum-spaces', "np.einsum(' ij , jk -> ik ', a, w)")
case('einsum-broadcast-one', "np.einsum('ij,jk', np.ones((2, 1)), np.ones((3, 2)))")
case('einsum-upper-labels', "np.einsum('Ab,bC', a, w)")
case('einsum-shape-mismatch', "np.einsum('ij,jk->ik', a, a)")
case('einsum-output-twice', "np.einsum('ij->ii', a)")
case('einsum-output-unknown', "np.einsum('ij,jk->il', a, w)")
case('einsum-too-many-labels', "np.einsum('ijk', a)")
case('einsum-too-few-operands', "np.einsum('ij,jk', a)")
case('einsum-empty-dim', "np.einsum('ij,jk->ik', np.ones((2, 0)), np.ones((0, 3)))")

# --- `not` binds tighter than and / or (@lezer/python nests it over the rest of the chain)
case('not-or-precedence', '[not a or b for a in (0, 1) for b in (0, 1)], [not a and b for a in (0, 1) for b in (0, 1)]')
case('not-chain-precedence', '[not a and not b or not c for a in (0, 1) for b in (0, 1) for c in (0, 1)], [a or not b and c for a in (0, 1) for b in (0, 1) for c in (0, 1)]')
case('not-not-and-compare', 'x = None\n[not not x or 1, not x is None or 2, not 1 == 2 and 3, (not 0) and (not 1 or 4)]')

# --- classes (issue 13): textbook-shaped layers written for these tests, run in CPython and in the interpreter
RNN_CLASSES = '''
class RNN:
    """One time step of a tanh RNN."""
    def __init__(self, Wx, Wh, b):
        self.params = [Wx, Wh, b]
        self.grads = [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]
        self.cache = None

    def forward(self, x, h_prev):
        """h_next = tanh(h_prev Wh + x Wx + b)"""
        Wx, Wh, b = self.params
        t = np.dot(h_prev, Wh) + np.dot(x, Wx) + b
        h_next = np.tanh(t)
        self.cache = (x, h_prev, h_next)
        return h_next

    def backward(self, dh_next):
        Wx, Wh, b = self.params
        x, h_prev, h_next = self.cache
        dt = dh_next * (1 - h_next ** 2)
        db = np.sum(dt, axis=0)
        dWh = np.dot(h_prev.T, dt)
        dh_prev = np.dot(dt, Wh.T)
        dWx = np.dot(x.T, dt)
        dx = np.dot(dt, Wx.T)
        self.grads[0][...] = dWx
        self.grads[1][...] = dWh
        self.grads[2][...] = db
        return dx, dh_prev


class TimeRNN:
    def __init__(self, Wx, Wh, b, stateful=False):
        self.params = [Wx, Wh, b]
        self.grads = [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]
        self.layers = None
        self.h, self.dh = None, None
        self.stateful = stateful

    def forward(self, xs):
        Wx, Wh, b = self.params
        N, T, D = xs.shape
        D, H = Wx.shape
        self.layers = []
        hs = np.empty((N, T, H), dtype='f')
        if not self.stateful or self.h is None:
            self.h = np.zeros((N, H), dtype='f')
        for t in range(T):
            layer = RNN(*self.params)
            self.h = layer.forward(xs[:, t, :], self.h)
            hs[:, t, :] = self.h
            self.layers.append(layer)
        return hs

    def backward(self, dhs):
        Wx, Wh, b = self.params
        N, T, H = dhs.shape
        D, H = Wx.shape
        dxs = np.empty((N, T, D), dtype='f')
        dh = 0
        grads = [0, 0, 0]
        for t in reversed(range(T)):
            layer = self.layers[t]
            dx, dh = layer.backward(dhs[:, t, :] + dh)
            dxs[:, t, :] = dx
            for i, grad in enumerate(layer.grads):
                grads[i] += grad
        for i, grad in enumerate(grads):
            self.grads[i][...] = grad
        self.dh = dh
        return dxs
'''

case('class-rnn-step', RNN_CLASSES + '''
rnn = RNN(Wx, Wh, bh)
h = rnn.forward(xs[:2], np.zeros((2, 4)))
dx, dh_prev = rnn.backward(dout[:2])
h, dx, dh_prev, rnn.grads
''')
case('class-timernn-forward-backward', RNN_CLASSES + '''
layer = TimeRNN(Wx, Wh, bh)
hs = layer.forward(xs.reshape(1, 5, 3))
dxs = layer.backward(dout.reshape(1, 5, 4))
hs, dxs, layer.grads[0], layer.grads[1], layer.grads[2], layer.dh
''')
case('class-timernn-stateful', RNN_CLASSES + '''
layer = TimeRNN(Wx, Wh, bh, stateful=True)
h1 = layer.forward(xs.reshape(1, 5, 3))
h2 = layer.forward(xs.reshape(1, 5, 3) * 0.5)
layer.stateful = False
h3 = layer.forward(xs.reshape(1, 5, 3) * 0.5)
h2[0, -1], h3[0, -1], layer.h
''')
case('class-shared-grad-arrays', RNN_CLASSES + '''
layer = TimeRNN(Wx, Wh, bh)
model_grads = []
model_grads += layer.grads
dWx, = [g for g in layer.grads if g.shape == (3, 4)]
before = dWx.sum()
layer.forward(xs.reshape(1, 5, 3))
layer.backward(dout.reshape(1, 5, 4))
same = [model_grads[i] is layer.grads[i] for i in range(3)]
before, same, model_grads[0], dWx, layer.layers[0].params[0] is layer.params[0]
''')
case('class-sgd-updates-every-holder', RNN_CLASSES + '''
class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr
    def update(self, params, grads):
        for i in range(len(params)):
            params[i] -= self.lr * grads[i]

W1 = Wx.copy()
W2 = Wh.copy()
b1 = bh.copy()
layer = TimeRNN(W1, W2, b1)
params, grads = [], []
params += layer.params
grads += layer.grads
opt = SGD(lr=0.5)
for step in range(3):
    layer.forward(xs.reshape(1, 5, 3))
    layer.backward(dout.reshape(1, 5, 4))
    opt.update(params, grads)
W1, layer.params[1], b1, params[2] is b1
''')
case('class-clip-grads-loop', '''
def clip_grads(grads, max_norm):
    total_norm = 0
    for grad in grads:
        total_norm += np.sum(grad ** 2)
    total_norm = np.sqrt(total_norm)
    rate = max_norm / (total_norm + 1e-6)
    if rate < 1:
        for grad in grads:
            grad *= rate

class Holder:
    def __init__(self, grads):
        self.grads = grads
g1 = np.arange(6.0).reshape(2, 3)
g2 = np.ones(3) * 4
h = Holder([g1, g2])
clip_grads(h.grads, 1.0)
g1, g2, h.grads[0] is g1
''')
case('class-zero-grads-ellipsis', '''
class Layer:
    def __init__(self):
        self.params = [np.ones((2, 2)), np.ones(2)]
        self.grads = [np.ones((2, 2)), np.ones(2)]
    def zero_grad(self):
        for g in self.grads:
            g[...] = 0
layers = [Layer() for _ in range(3)]
all_grads = []
for l in layers:
    all_grads += l.grads
layers[1].zero_grad()
W, b = layers[2].params
W[...] = 7
[float(g.sum()) for g in all_grads], layers[2].params[0]
''')
case('class-lstm-forward-backward', '''
def sigmoid(x):
    return 1 / (1 + np.exp(-x))

class LSTM:
    def __init__(self, Wx, Wh, b):
        self.params = [Wx, Wh, b]
        self.grads = [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]
        self.cache = None

    def forward(self, x, h_prev, c_prev):
        Wx, Wh, b = self.params
        N, H = h_prev.shape
        A = np.dot(x, Wx) + np.dot(h_prev, Wh) + b
        f = sigmoid(A[:, :H])
        g = np.tanh(A[:, H:2*H])
        i = sigmoid(A[:, 2*H:3*H])
        o = sigmoid(A[:, 3*H:])
        c_next = f * c_prev + g * i
        h_next = o * np.tanh(c_next)
        self.cache = (x, h_prev, c_prev, i, f, g, o, c_next)
        return h_next, c_next

    def backward(self, dh_next, dc_next):
        Wx, Wh, b = self.params
        x, h_prev, c_prev, i, f, g, o, c_next = self.cache
        tanh_c_next = np.tanh(c_next)
        ds = dc_next + (dh_next * o) * (1 - tanh_c_next ** 2)
        dc_prev = ds * f
        di = ds * g
        df = ds * c_prev
        do = dh_next * tanh_c_next
        dg = ds * i
        di *= i * (1 - i)
        df *= f * (1 - f)
        do *= o * (1 - o)
        dg *= (1 - g ** 2)
        dA = np.hstack((df, dg, di, do))
        self.grads[0][...] = np.dot(x.T, dA)
        self.grads[1][...] = np.dot(h_prev.T, dA)
        self.grads[2][...] = dA.sum(axis=0)
        dx = np.dot(dA, Wx.T)
        dh_prev = np.dot(dA, Wh.T)
        return dx, dh_prev, dc_prev

H = 2
lstm = LSTM(np.cos(np.arange(24.0)).reshape(3, 8) * 0.3, np.sin(np.arange(16.0)).reshape(2, 8) * 0.3, bias)
h, c = lstm.forward(xs[:2], np.zeros((2, H)), np.zeros((2, H)))
h2, c2 = lstm.forward(xs[2:4], h, c)
dx, dh, dc = lstm.backward(np.ones((2, H)), np.zeros((2, H)))
h2, c2, dx, dh, dc, lstm.grads[0], lstm.grads[1], lstm.grads[2]
''')
case('class-embedding-add-at', '''
class Embedding:
    def __init__(self, W):
        self.params = [W]
        self.grads = [np.zeros_like(W)]
        self.idx = None
    def forward(self, idx):
        W, = self.params
        self.idx = idx
        return W[idx]
    def backward(self, dout):
        dW, = self.grads
        dW[...] = 0
        np.add.at(dW, self.idx, dout)
        return None

class TimeEmbedding:
    def __init__(self, W):
        self.params = [W]
        self.grads = [np.zeros_like(W)]
        self.layers = None
        self.W = W
    def forward(self, xs):
        N, T = xs.shape
        V, D = self.W.shape
        out = np.empty((N, T, D), dtype='f')
        self.layers = []
        for t in range(T):
            layer = Embedding(self.W)
            out[:, t, :] = layer.forward(xs[:, t])
            self.layers.append(layer)
        return out
    def backward(self, dout):
        N, T, D = dout.shape
        grad = 0
        for t in range(T):
            layer = self.layers[t]
            layer.backward(dout[:, t, :])
            grad += layer.grads[0]
        self.grads[0][...] = grad
        return None

emb = TimeEmbedding(E)
ids = np.array([[0, 2, 2], [5, 0, 2]], dtype=np.int32)
out = emb.forward(ids)
emb.backward(np.arange(24.0).reshape(2, 3, 4))
out, emb.grads[0]
''')
case('class-semantics', '''
class Base:
    """A base class."""
    kind = 'base'
    count = 0
    def __init__(self, name, *, scale=1.0, **options):
        self.name = name
        self.scale = scale
        self.options = options
        Base.count += 1
    def describe(self):
        return f"{self.kind}:{self.name}:{self.value(2)}"
    def value(self, x):
        return x * self.scale

class Child(Base):
    kind = 'child'
    def __init__(self, name, offset=0, **kw):
        super().__init__(name, **kw)
        self.offset = offset
    def value(self, x):
        return super().value(x) + self.offset

a = Base('a', scale=3.0, debug=True)
c = Child('c', offset=10, scale=0.5)
f = c.value
c.kind = 'instance-kind'
c.helper = lambda t: t - 1
[a.describe(), c.describe(), f(4), Base.count, a.options, c.options, isinstance(c, Base), isinstance(a, Child),
 isinstance(c, (int, Child)), c.helper(5), Child.kind, Base.value(a, 5)]
''')
case('class-layers-list-comprehension', '''
class Affine:
    def __init__(self, W, b):
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x = None
    def forward(self, x):
        W, b = self.params
        self.x = x
        return np.dot(x, W) + b
    def backward(self, dout):
        W, b = self.params
        self.grads[0][...] = np.dot(self.x.T, dout)
        self.grads[1][...] = np.sum(dout, axis=0)
        return np.dot(dout, W.T)

class Net:
    def __init__(self, sizes):
        self.layers = [Affine(np.ones((sizes[i], sizes[i + 1])) * 0.1 * (i + 1), np.zeros(sizes[i + 1])) for i in range(len(sizes) - 1)]
        self.params, self.grads = [], []
        for layer in self.layers:
            self.params += layer.params
            self.grads += layer.grads
    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x
    def backward(self, dout=1):
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

net = Net([3, 4, 2])
y = net.forward(xs)
dx = net.backward(np.ones_like(y))
y, dx, [g.shape for g in net.grads], net.grads[2], len(net.params), np.prod(net.params[0].shape)
''')
case('class-try-except-raise', '''
class Stack:
    def __init__(self):
        self.items = []
    def pop(self):
        if not self.items:
            raise IndexError('empty')
        return self.items.pop()

s = Stack()
log = []
try:
    s.pop()
except IndexError as e:
    log.append('caught ' + str(e))
else:
    log.append('no error')
finally:
    log.append('finally')
try:
    {'a': 1}['b']
except LookupError:
    log.append('lookup')
try:
    np.ones(3) + np.ones(4)
except (TypeError, ValueError):
    log.append('value')
def g():
    try:
        return 'from try'
    finally:
        log.append('cleanup')
log.append(g())
log
''')
case('class-raise-uncaught', '''
class Layer:
    def forward(self, x):
        raise NotImplementedError
Layer().forward(1)
''')
case('class-missing-attribute', '''
class A:
    def __init__(self):
        self.x = 1
A().y
''')
case('class-wrong-arg-count', '''
class A:
    def f(self, x):
        return x
A().f(1, 2)
''')
case('class-init-args-without-init', '''
class A:
    pass
A(1)
''')
case('class-method-recursion', '''
class A:
    def f(self, n):
        return self.f(n + 1)
A().f(0)
''')
case('class-kwonly-missing', '''
def f(a, *, b):
    return a + b
f(1, 2)
''')
case('class-dtype-idioms', '''
class Sampler:
    def __init__(self, n):
        self.table = np.arange(n, dtype=np.int32)
    def sample(self, k):
        return self.table[:k].astype('f')
s = Sampler(5)
x = s.sample(3)
e = np.empty((2, 3), dtype='f')
x, x.dtype == np.float32, e.shape, s.table.dtype == np.int32, np.hstack([x, x]), np.prod(e.shape)
''')

# --- textbook layers (issue 13 "Done when" §1): textbook_layers.py is the prelude, run as-is in both
with open(os.path.join(HERE, 'textbook_layers.py'), encoding='utf-8') as _f:
    TEXTBOOK = _f.read()


def textbook_case(name, body, **opts):
    case(name, body, prelude=TEXTBOOK, **opts)


textbook_case('tb-rnn-timernn', """
xs = (np.sin(np.arange(24) * 0.9).reshape(2, 4, 3) * 0.8).astype('f')
Wx = (np.cos(np.arange(15) * 0.5).reshape(3, 5) * 0.4).astype('f')
Wh = (np.sin(np.arange(25) * 0.6).reshape(5, 5) * 0.4).astype('f')
b = np.linspace(-0.1, 0.1, 5).astype('f')
dhs = np.cos(np.arange(40) * 0.8).reshape(2, 4, 5).astype('f')
cell = RNN(Wx, Wh, b)
h1 = cell.forward(xs[:, 0, :], np.ones((2, 5), dtype='f') * 0.1)
dx1, dh1 = cell.backward(dhs[:, 0, :])
layer = TimeRNN(Wx, Wh, b, stateful=True)
hs = layer.forward(xs)
hs2 = layer.forward(xs * 0.5)
dxs = layer.backward(dhs)
h1, dx1, dh1, cell.grads, hs, hs2, dxs, layer.dh, layer.grads
""")
textbook_case('tb-lstm-timelstm-stateful', """
xs = (np.sin(np.arange(30) * 0.7).reshape(2, 5, 3)).astype('f')
Wx = (np.cos(np.arange(48) * 0.3).reshape(3, 16) * 0.5).astype('f')
Wh = (np.sin(np.arange(64) * 0.4).reshape(4, 16) * 0.5).astype('f')
b = np.linspace(-0.3, 0.3, 16).astype('f')
dhs = np.cos(np.arange(40) * 0.6).reshape(2, 5, 4).astype('f')
layer = TimeLSTM(Wx, Wh, b, stateful=True)
hs1 = layer.forward(xs)
hs2 = layer.forward(xs[:, ::-1])
dxs = layer.backward(dhs)
c_after = layer.c
layer.reset_state()
hs3 = layer.forward(xs)
cell = LSTM(Wx, Wh, b)
h, c = cell.forward(xs[:, 0], np.zeros((2, 4), dtype='f'), np.ones((2, 4), dtype='f'))
dx, dh, dc = cell.backward(dhs[:, 0], dhs[:, 1])
hs1, hs2, dxs, layer.dh, c_after, hs3[:, -1], layer.grads, h, c, dx, dh, dc, cell.grads
""")
textbook_case('tb-gru-timegru', """
xs = (np.sin(np.arange(30) * 0.7).reshape(2, 5, 3)).astype('f')
Wx = (np.cos(np.arange(36) * 0.3).reshape(3, 12) * 0.5).astype('f')
Wh = (np.sin(np.arange(48) * 0.4).reshape(4, 12) * 0.5).astype('f')
b = np.linspace(-0.3, 0.3, 12).astype('f')
dhs = np.cos(np.arange(40) * 0.6).reshape(2, 5, 4).astype('f')
layer = TimeGRU(Wx, Wh, b)
hs = layer.forward(xs)
dxs = layer.backward(dhs)
# a central-difference check of dWh[1, 5] (a reset-gate weight) in the same program
eps = 1e-2
def loss_at(delta):
    W2 = Wh.copy().astype(np.float64)
    W2[1, 5] += delta
    return np.sum(TimeGRU(Wx.astype(np.float64), W2, b.astype(np.float64)).forward(xs.astype(np.float64)) * dhs)
numeric = (loss_at(eps) - loss_at(-eps)) / (2 * eps)
hs, dxs, layer.dh, layer.grads, abs(numeric - layer.grads[1][1, 5]) < 1e-3
""")
textbook_case('tb-timebilstm', """
xs = (np.sin(np.arange(24) * 0.7).reshape(2, 4, 3)).astype('f')
def w(n, s, shape):
    return (np.cos(np.arange(n) * s).reshape(shape) * 0.5).astype('f')
bi = TimeBiLSTM(w(24, 0.3, (3, 8)), w(16, 0.4, (2, 8)), np.zeros(8, dtype='f'),
                w(24, 0.5, (3, 8)), w(16, 0.6, (2, 8)), np.linspace(-0.2, 0.2, 8).astype('f'))
hs = bi.forward(xs)
dxs = bi.backward(np.sin(np.arange(32) * 0.45).reshape(2, 4, 4).astype('f'))
hs, dxs, bi.grads, len(bi.params), bi.params[3] is bi.backward_lstm.params[0]
""")
textbook_case('tb-embedding-affine-softmax', """
E = (np.sin(np.arange(28) * 0.7).reshape(7, 4)).astype('f')
ids = np.array([[0, 3, 3], [6, 0, 2]], dtype=np.int32)
emb = TimeEmbedding(E)
out = emb.forward(ids)
emb.backward(np.arange(24.0).reshape(2, 3, 4).astype('f'))
one = Embedding(E)
row = one.forward(np.array([1, 1, 4]))
one.backward(np.ones((3, 4), dtype='f'))
W = (np.cos(np.arange(28) * 0.5).reshape(4, 7)).astype('f')
b = np.linspace(-1, 1, 7).astype('f')
taff = TimeAffine(W, b)
score = taff.forward(out)
ts = np.array([[3, 1, -1], [2, -1, -1]], dtype=np.int32)
loss_layer = TimeSoftmaxWithLoss()
loss = loss_layer.forward(score, ts)
dscore = loss_layer.backward()
dout = taff.backward(dscore)
aff = Affine(W, b)
y = aff.forward(out[:, 0, :])
swl = SoftmaxWithLoss()
l1 = swl.forward(y, np.array([2, 5]))
d1 = aff.backward(swl.backward())
l2 = swl.forward(y, np.eye(7)[[2, 5]])
d2 = swl.backward(2.0)
out, emb.grads[0], row, one.grads[0], score, loss, dscore, dout, taff.grads, l1, d1, aff.grads, l2, d2
""")
textbook_case('tb-attention-layers', """
hs = (np.sin(np.arange(30) * 0.55).reshape(2, 5, 3)).astype('f')
h = (np.cos(np.arange(6) * 0.9).reshape(2, 3)).astype('f')
ws = WeightSum()
a0 = softmax(np.arange(10.0).reshape(2, 5) * 0.3)
c = ws.forward(hs, a0)
ws_dhs, ws_da = ws.backward(np.ones((2, 3), dtype='f'))
aw = AttentionWeight()
a = aw.forward(hs, h)
aw_dhs, aw_dh = aw.backward(np.cos(np.arange(10) * 0.7).reshape(2, 5).astype('f'))
att = Attention()
ctx = att.forward(hs, h)
at_dhs, at_dh = att.backward(np.sin(np.arange(6) * 1.1).reshape(2, 3).astype('f'))
dec = (np.cos(np.arange(24) * 0.35).reshape(2, 4, 3)).astype('f')
ta = TimeAttention()
tout = ta.forward(hs, dec)
denc, ddec = ta.backward(np.sin(np.arange(24) * 0.8).reshape(2, 4, 3).astype('f'))
c, ws_dhs, ws_da, a, aw_dhs, aw_dh, ctx, att.attention_weight, at_dhs, at_dh, tout, denc, ddec, ta.attention_weights[2]
""")
textbook_case('tb-negative-sampling', """
corpus = np.array([0, 1, 2, 3, 4, 1, 2, 5, 1, 3, 6, 1])
W = (np.sin(np.arange(28) * 0.6).reshape(7, 4) * 0.5).astype('f')
layer = NegativeSamplingLoss(W, corpus, power=0.75, sample_size=3)
fixed = np.array([[2, 4, 6], [0, 5, 3]], dtype=np.int32)
layer.sampler.get_negative_sample = lambda target: fixed
h = (np.cos(np.arange(8) * 0.7).reshape(2, 4)).astype('f')
target = np.array([1, 2])
loss = layer.forward(h, target)
dh = layer.backward()
ed = EmbeddingDot(W)
s = ed.forward(h, np.array([3, 3]))
ed_dh = ed.backward(np.array([0.5, -1.0], dtype='f'))
total = sum(layer.grads)
loss, dh, layer.grads, total, layer.sampler.word_p, layer.sampler.vocab_size, len(layer.params), s, ed_dh, ed.grads[0]
""")
textbook_case('tb-seq2seq', """
xs = np.array([[1, 4, 2, 5, 3], [2, 2, 6, 0, 1]], dtype=np.int32)
ts = np.array([[7, 3, 1, 4, 0], [7, 6, 2, 2, 5]], dtype=np.int32)
model = Seq2seq(8, 5, 6)
loss = model.forward(xs, ts)
dh = model.backward()
sample = model.generate(xs[:1], 7, 6)
loss, dh, model.grads, sample, len(model.params)
""")
textbook_case('tb-attention-seq2seq', """
xs = np.array([[1, 4, 2, 5, 3], [2, 2, 6, 0, 1]], dtype=np.int32)
ts = np.array([[7, 3, 1, 4, 0], [7, 6, 2, 2, 5]], dtype=np.int32)
model = AttentionSeq2seq(8, 5, 6)
loss = model.forward(xs, ts)
denc = model.backward()
sample = model.generate(xs[1:], 7, 6)
weights = model.decoder.attention.attention_weights
loss, denc, model.grads, sample, len(weights), weights[0], isinstance(model.encoder, Encoder)
""")
textbook_case('tb-seq2seq-training-steps', """
xs = np.array([[1, 4, 2], [2, 2, 6]], dtype=np.int32)
ts = np.array([[7, 3, 1, 4], [7, 6, 2, 2]], dtype=np.int32)
model = AttentionSeq2seq(8, 4, 5)
losses = []
for step in range(3):
    losses.append(float(model.forward(xs, ts)))
    model.backward()
    for p, g in zip(model.params, model.grads):
        p -= 0.5 * g
losses, model.params[-2]
""")

# --- collections and sets (issue 13)
case('collections-counter', """
from collections import Counter
c = Counter()
for w in [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]:
    c[w] += 1
d = Counter('mississippi')
d.update('miss')
d.update({'z': 3})
e = Counter(np.array([2, 0, 2, 2]))
c, c.most_common(2), c.most_common(), c[7], len(c), d, d.most_common(1), e[2], e[np.int32(2)], sorted(c), c.total(), 7 in c
""")
case('collections-defaultdict', """
import collections
groups = collections.defaultdict(list)
for i, w in enumerate(['a', 'b', 'a', 'c', 'a']):
    groups[w].append(i)
count = collections.defaultdict(int)
for w in 'banana':
    count[w] += 1
seen = 'q' in count, count.get('q'), len(count)
nested = collections.defaultdict(lambda: [0, 0])
nested['x'][1] += 5
dict(groups), dict(count), seen, dict(nested), groups['zz'], len(groups)
""")
case('collections-counter-missing-no-insert', """
from collections import Counter as C
c = C([1, 2, 2])
c[5], len(c), list(c.keys()), dict(c)
""")
case('set-basics', """
s = {3, 1, 3}
t = set([1, 2, 2])
s.add(5)
s.add(1)
s.discard(9)
u = {x % 3 for x in range(10)}
empty = set()
out = []
for x in sorted(s):
    out.append(x * 10)
sorted(s), sorted(t), sorted(u), 3 in s, 4 in s, 4 not in s, len(s), bool(empty), len(empty), s == {1, 3, 5}, s != t, out, sorted(s.union(t)), sorted(s.intersection(t)), sorted(s.difference(t)), {1, 2}.issubset(t)
""")
case('set-dedupe-words', """
words = 'the cat and the dog and the bird'.split()
vocab = sorted(set(words))
word_to_id = {w: i for i, w in enumerate(vocab)}
ids = [word_to_id[w] for w in words]
len(set(ids)), vocab, ids, sum(set(ids)), max({4, 9, 2})
""")
case('set-remove-missing', "s = {1, 2}\ns.remove(2)\ns.remove(7)")
case('set-not-subscriptable', "s = {1, 2}\ns[0]")
case('set-unhashable-list', "{[1], 2}")
case('collections-import-scopes', '''
def count_words(words):
    from collections import Counter as C
    return C(words).most_common(1)
class Vocab:
    import collections
    def __init__(self, words):
        self.ids = {}
        for w in words:
            if w not in self.ids:
                self.ids[w] = len(self.ids)
def uses_global():
    try:
        return C
    except NameError:
        return 'not bound here'
count_words(['b', 'a', 'b']), Vocab(['x', 'y', 'x']).ids, uses_global(), Vocab.collections.Counter('aab')['a']
''')
case('choice-noreplace-too-few-nonzero', "np.random.choice(3, size=3, replace=False, p=[0.5, 0.5, 0.0])")
case('choice-negative-p', "np.random.choice(3, size=2, p=[1.5, -0.5, 0.0])")
case('choice-noreplace-p-shape', "np.random.choice(5, size=(2, 2), replace=False, p=[0.1, 0.2, 0.3, 0.4, 0.0]).shape")

# --- Python semantics kept while bounding the interpreter (issue 15)
# format precision is exact (Python rounds the exact binary value half to even), beyond JS toFixed's 100 digits
case('fmt-f-200-digits', "f'{1.0:.200f}'")
case('fmt-f-0.1-30', "format(0.1, '.30f')")
case('fmt-f-ties', "[format(x, '.0f') for x in (0.5, 1.5, 2.5, -0.5)] + [format(0.125, '.2f'), format(-0.125, '.2f'), format(2.675, '.2f')]")
case('fmt-f-huge', "format(1.5e300, 'f')")
case('fmt-e', "[format(x, '.3e') for x in (0.0, 1e-320, 123456.789, 9.9995, -2.5e-7)] + [format(5e-324, 'e'), format(0.1, '.25e'), format(1.0, 'E')]")
case('fmt-g', "[format(x, 'g') for x in (1e-5, 123456.0, 1234567.0, 0.0001, 1e16, 100.0)] + [format(1/3, '.20g'), format(1.7976931348623157e308, '.3g'), format(9.9999995, '.6g'), format(1e-7, 'G')]")
case('fmt-g-alt', "[format(123.0, '#.3g'), format(1.0, '#.3g'), format(0.0001, '#.3g')]")
case('fmt-no-type-precision', "[format(x, '.3') for x in (123.0, 12.0, 100.0, 1.0, 0.0001, 1.234e-05, 0.5)] + [format(123456.0, '.6'), format(123.0, '.17')]")
case('fmt-percent-grouping', "[format(0.000123, '%'), format(0.5, '.1%'), format(12345678, ','), format(1234.5678, ',.2f'), format(-5, 'g'), format(5, '.2f'), format(5, 'e')]")
case('fmt-nonfinite', "[format(float('inf'), '.2f'), format(float('nan'), 'e'), format(float('-inf'), 'G'), format(float('inf'), '%')]")
case('fmt-width-align', "[format(1, '>5'), format('ab', '^6'), format(-3.5, '08.2f'), format(42, '+d'), format(255, '#x'), format(5, '*<4')]")
case('fmt-int-precision-error', "format(5, '.3')")
case('fmt-float-d-error', "format(3.0, 'd')")
case('percent-format-flags', "['%5s|' % 'ab', '%-6d|' % 3, '%+d' % 5, '%.3s' % 'abcdef', '%5.1f|' % 2.25, '%d' % 3.7, '%x' % 255, '%r' % 'a', '%e' % 0.0, '%g' % 1e-5, '%%' % (), '%.0f %.0f %.0f' % (0.5, 1.5, 2.5), '%05.1f' % 2.5, '% d' % 7]")
case('round-ndigits-exact', "[round(0.125, 2), round(2.675, 2), round(2.5), round(-0.5), round(25, -1), round(35, -1), round(1234.5678, -2)]")
# -0.0 keeps its sign
case('neg-zero-str', "[str(-0.0), repr(-0.0), f'{-0.0}', f'{-0.0:.2f}', f'{-0.0:e}', f'{-0.0:g}', '%f' % -0.0, format(-0.0, '.3'), format(-0.0, '+')]")
case('neg-zero-value', "x = -0.0\nx, 0.0 * -1, -0.0 == 0.0")
case('print-neg-zero', "print(-0.0, [-0.0], np.float32(-0.0))\nprint(np.array([-0.0, 1.5]))", stdout=True)
# identifiers are NFKC-normalised, as Python does
case('nfkc-name', "ｘ = 5\nx + ｘ")
case('nfkc-attr-kwarg', "def ｆ(ａ, ｂ=2):\n    return ａ * ｂ\nf(a=3), np.ｓｕｍ([1, 2])")
# range membership is arithmetic (O(1)), with Python's answers
case('range-contains', "[-1 in range(10**12), 10**12 - 1 in range(10**12), 5 in range(0, 10**12, 5), 7 in range(0, 10**12, 5), 2.0 in range(3), 2.5 in range(3), 'a' in range(3), -5 in range(0, -10, -1), 0 in range(0, -10, -1), True in range(2), 3 not in range(3)]")
case('range-equality', "[range(0) == range(2, 2), range(0, 3, 2) == range(0, 4, 2), range(1) == range(1, 5, 9), range(3) == range(4)]")
case('range-reversed-lazy', "list(reversed(range(1, 10, 3))), list(reversed(range(5, 0, -2))), list(reversed(range(0)))")
# string building keeps Python's results
case('str-replace', "['abc'.replace('', '-'), 'aaa'.replace('a', 'b', 2), 'abc'.replace('', '-', 2), 'xyx'.replace('x', 'zz'), 'abc'.replace('q', 'r')]")
case('str-split-empty-sep', "'abc'.split('')")
case('str-join-format', "'-'.join(['a', 'bb', '']), '{0}{1}{0}'.format('x', 'y'), '{:>4}|{:<3}|'.format(7, 'a')")
case('repr-self-containing', "a = [1]\na.append(a)\nd = {'k': 0}\nd['k'] = d\nrepr(a), str(d)")
case('list-ops-large', "x = [1] * 300000\nx += x\ny = x + [2]\nx.extend([3])\nlen(x), len(y), y[-1], x[-1]")
case('int-exact-edges', "[2**52 + 1, -(2**52) - (2**52 - 1), 9007199254740991, 3**33, (2**40) & (2**41 - 1), (2**40) | 1, -1 >> 1000, 1 << 52, ~5, -7 // 2, -7 % 3, 10**15 // 7, divmod(-10**15, 7)]")
case('float-overflow-inf', "1e308 * 10, -1e308 * 10")

# ---------------------------------------------------------------- running

KNOWN = ['AxisError', 'UnboundLocalError', 'ZeroDivisionError', 'RecursionError', 'NameError', 'AttributeError',
         'IndexError', 'KeyError', 'TypeError', 'ValueError', 'AssertionError']


def error_class(e):
    for cls in type(e).__mro__:
        if cls.__name__ in KNOWN:
            return cls.__name__
    return type(e).__name__


def kind_of(dt):
    if dt.kind == 'b':
        return 'b'
    if dt.kind in 'iu':
        return 'i'
    return 'f'


def tag_float(x):
    x = float(x)
    if math.isnan(x):
        return 'nan'
    if math.isinf(x):
        return 'inf' if x > 0 else '-inf'
    return x


def tag(v):
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)) and not isinstance(v, np.ndarray):
        if isinstance(v, np.bool_):
            return {'array': {'kind': 'b', 'shape': [], 'data': [bool(v)]}}
        return {'bool': v}
    if isinstance(v, np.generic):
        k = kind_of(v.dtype)
        x = bool(v) if k == 'b' else int(v) if k == 'i' else tag_float(v)
        return {'array': {'kind': k, 'shape': [], 'data': [x]}}
    if isinstance(v, int):
        return {'int': v}
    if isinstance(v, float):
        return {'float': tag_float(v)}
    if isinstance(v, str):
        return {'str': v}
    if isinstance(v, list):
        return {'list': [tag(x) for x in v]}
    if isinstance(v, tuple):
        return {'tuple': [tag(x) for x in v]}
    if isinstance(v, dict):
        return {'dict': [[tag(k), tag(x)] for k, x in v.items()]}
    if isinstance(v, np.ndarray):
        k = kind_of(v.dtype)
        flat = v.reshape(-1).tolist()
        data = [bool(x) for x in flat] if k == 'b' else [int(x) for x in flat] if k == 'i' else [tag_float(x) for x in flat]
        return {'array': {'kind': k, 'shape': list(v.shape), 'data': data}}
    raise TypeError(f'cannot tag {type(v).__name__}')


def encode_input(v):
    if isinstance(v, np.ndarray):
        k = kind_of(v.dtype)
        dtype = {'b': 'bool', 'i': 'int32', 'f': 'float32'}[k]
        flat = v.reshape(-1).tolist()
        return {'dtype': dtype, 'shape': list(v.shape), 'data': flat}
    if isinstance(v, list):
        return [encode_input(x) for x in v]
    return v


def run(code, inputs):
    env = {'np': np}
    for name, val in inputs.items():
        env[name] = val.copy() if isinstance(val, np.ndarray) else list(val) if isinstance(val, list) else val
    tree = ast.parse(code)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), np.errstate(all='ignore'):
        exec(compile(tree, '<case>', 'exec'), env)
        value = eval(compile(last, '<case>', 'eval'), env) if last is not None else None
    return value, out.getvalue()


def build():
    cases = []
    names = set()
    for name, code, opts in CASES:
        if name in names:
            raise SystemExit(f'duplicate case name {name}')
        names.add(name)
        used = {k: INPUTS[k] for k in INPUTS if re.search(r'\b' + re.escape(k) + r'\b', code)}
        np.random.seed(0)
        prelude = opts.get('prelude')
        if prelude is not None:
            used = {}  # prelude cases build their own inputs
        full = code if prelude is None else prelude + '\n' + code
        entry = {'name': name, 'code': full, 'inputs': {k: encode_input(v) for k, v in used.items()}}
        if prelude is not None:
            entry['learnerFrom'] = len(prelude) + 1
        try:
            value, stdout = run(full, used)
            entry['expect'] = tag(value)
            if opts.get('stdout'):
                entry['stdout'] = stdout
        except Exception as e:  # noqa: BLE001 - the error class is the expected outcome
            entry['expect'] = {'error': error_class(e)}
        cases.append(entry)
    return {'numpy': np.__version__, 'count': len(cases), 'cases': cases}


def main():
    data = build()
    text = json.dumps(data, ensure_ascii=False, indent=1) + '\n'
    if '--check' in sys.argv:
        with open(OUT, encoding='utf-8') as f:
            old = json.load(f)
        old.pop('numpy', None)
        new = json.loads(text)
        new.pop('numpy', None)
        if old != new:
            print('cases.json is stale: run python3 tests/golden/numpy/make.py', file=sys.stderr)
            sys.exit(1)
        print(f'cases.json is up to date ({data["count"]} cases)')
        return
    with open(OUT, 'w', encoding='utf-8') as f:
        f.write(text)
    print(f'wrote {data["count"]} cases to {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
