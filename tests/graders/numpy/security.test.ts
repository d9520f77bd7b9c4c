// Learner code must never reach a JavaScript object, never hang and never crash the host: every escape
// attempt is a clean NameError / AttributeError / ImportError, every limit a clean error naming the limit.

import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../graders/numpy/backend-node';
import { type EvalResult, evaluate } from '../../../graders/numpy/index';

beforeAll(async () => {
  await initBackend('cpu');
});

function fail(r: EvalResult): { type: string; message: string; limit?: string; line: number; col: number } {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.error;
}

const inputs = { a: { dtype: 'float32' as const, shape: [2, 2], data: [1, 2, 3, 4] } };

describe('names resolve only to interpreter values', () => {
  const names = ['eval', 'exec', 'open', 'getattr', 'setattr', 'globals', 'locals', 'vars', '__import__', 'process', 'require', 'compile', 'type', 'object', 'Function', 'globalThis', 'window', 'self', 'this', 'constructor', '__proto__', 'prototype', '__builtins__', 'input', 'breakpoint', 'exit'];
  it.each(names)('%s is a NameError', (name) => {
    const e = fail(evaluate(name));
    expect(e.type).toBe('NameError');
    expect(e.message).toBe(`名前 '${name}' は定義されていません`);
    expect([e.line, e.col]).toEqual([1, 1]);
  });
  it('calling them is a NameError too', () => {
    expect(fail(evaluate("__import__('os').system('echo hi')")).type).toBe('NameError');
    expect(fail(evaluate("eval('1 + 1')")).type).toBe('NameError');
    expect(fail(evaluate("open('/etc/passwd').read()")).type).toBe('NameError');
    expect(fail(evaluate("getattr(a, '__class__')", inputs)).type).toBe('NameError');
    expect(fail(evaluate("require('fs')")).type).toBe('NameError');
  });
});

describe('attributes are whitelisted per value type', () => {
  const targets = ['1', '1.5', 'True', 'None', '"s"', '[1]', '(1,)', '{}', 'a', 'a[0]', 'np', 'np.random', 'np.linalg', 'np.zeros', 'len', 'range(3)', 'zip([1], [2])', 'np.float32', 'int', '(lambda: 0)', 'np.random.default_rng(0)'];
  const attrs = ['__class__', '__dict__', 'constructor', '__proto__', 'prototype', '__globals__', '__code__', '__builtins__', '__base__', '__subclasses__', 'toString', 'valueOf', 'call', 'apply', 'bind', '__init__', 'hasOwnProperty', 't', 'kind', 'map', 'items_'];
  for (const target of targets) {
    it(`${target}.<forbidden> is an AttributeError`, () => {
      for (const attr of attrs) {
        const r = evaluate(`x = ${target}\nx.${attr}`, inputs);
        const e = fail(r);
        expect(e.type, `${target}.${attr}`).toBe('AttributeError');
        expect(e.line).toBe(2);
      }
    });
  }
  it('a user function exposes nothing', () => {
    const e = fail(evaluate('def f():\n    return 1\nf.__globals__'));
    expect(e.type).toBe('AttributeError');
    expect(e.message).toBe("'function' オブジェクトに属性 '__globals__' はありません");
  });
  it('attributes cannot be assigned', () => {
    expect(fail(evaluate('np.sum = 1')).type).toBe('AttributeError');
    expect(fail(evaluate('a.constructor = 1', inputs)).type).toBe('AttributeError');
    expect(fail(evaluate('x = [1]\nx.append = 1')).type).toBe('AttributeError');
    expect(fail(evaluate('a.__class__ = 1', inputs)).type).toBe('AttributeError');
  });
  it('forbidden names cannot be bound', () => {
    expect(fail(evaluate('constructor = 1')).type).toBe('NameError');
    expect(fail(evaluate('__proto__ = 1')).type).toBe('NameError');
  });
});

describe('dict keys live in a Map', () => {
  it('special keys are ordinary keys and do not pollute prototypes', () => {
    const r = evaluate('d = {}\nd["__proto__"] = {"polluted": 1}\nd["constructor"] = 2\nd["toString"] = 3\nlen(d), d["__proto__"]["polluted"], d.get("constructor"), "hasOwnProperty" in d');
    expect(r).toMatchObject({ ok: true, value: [3, 1, 2, false] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });
  it('missing special keys are KeyErrors', () => {
    expect(fail(evaluate('{}["constructor"]')).type).toBe('KeyError');
    expect(fail(evaluate('{}["__proto__"]')).type).toBe('KeyError');
  });
});

describe('imports', () => {
  it('accepts import numpy as np as a no-op', () => {
    expect(evaluate('import numpy as np\nnp.sum([1, 2])')).toMatchObject({ ok: true, value: 3 });
  });
  it.each(['import os', 'import sys', 'from os import path', 'import numpy, os', 'from numpy import zeros', 'import subprocess as np'])('refuses %s', (code) => {
    const e = fail(evaluate(code));
    expect(e.type).toBe('ImportError');
  });
  it('refuses unsupported statements as SyntaxError', () => {
    expect(fail(evaluate('def g():\n    yield 1')).type).toBe('SyntaxError');
    expect(fail(evaluate('class A(B, C):\n    pass')).type).toBe('SyntaxError');
    expect(fail(evaluate('class A(metaclass=M):\n    pass')).type).toBe('SyntaxError');
    expect(fail(evaluate('with open("f") as f:\n    pass')).type).toBe('SyntaxError');
    expect(fail(evaluate('@dec\ndef f():\n    pass')).type).toBe('SyntaxError');
  });
});

describe('limits are clean errors naming the limit', () => {
  it('steps: an infinite loop', () => {
    const e = fail(evaluate('while True:\n    pass', {}, { maxSteps: 10_000 }));
    expect(e).toMatchObject({ type: 'TimeoutError', limit: 'maxSteps' });
    expect(e.message).toContain('10000');
  });
  it('wall time: a long loop', () => {
    const t0 = performance.now();
    const e = fail(evaluate('x = 0\nwhile True:\n    x = x + 1', {}, { maxSteps: 1e12, timeoutMs: 50 }));
    expect(e).toMatchObject({ type: 'TimeoutError', limit: 'timeoutMs' });
    expect(performance.now() - t0).toBeLessThan(1000);
  });
  it('wall time: the default is 2 s', () => {
    const t0 = performance.now();
    const e = fail(evaluate('x = 0\nwhile True:\n    x = x + 1', {}, { maxSteps: 1e12 }));
    const dt = performance.now() - t0;
    expect(e).toMatchObject({ type: 'TimeoutError', limit: 'timeoutMs' });
    expect(e.message).toContain('2000 ms');
    expect(dt).toBeGreaterThan(1900);
    expect(dt).toBeLessThan(3000);
  });
  it('elements of one array, before allocating', () => {
    for (const code of ['np.zeros((100000, 100000))', 'np.ones(10**9)', 'np.arange(10**8)', 'np.eye(50000)', 'np.random.rand(100000, 1000)', 'np.outer(np.ones(10**5), np.ones(10**5))', 'np.ones((1000, 1)) + np.ones((1, 10**5))', 'np.tile(np.ones(1000), 10**4)']) {
      const e = fail(evaluate(code));
      expect(e, code).toMatchObject({ type: 'MemoryError', limit: 'maxArrayElements' });
    }
  });
  it('total elements in one evaluation', () => {
    const e = fail(evaluate('for i in range(1000):\n    x = np.ones((1000, 100))'));
    expect(e).toMatchObject({ type: 'MemoryError', limit: 'maxTotalElements' });
    expect(e.line).toBe(2);
  });
  it('matrix products count their multiply-adds', () => {
    const e = fail(evaluate('x = np.ones((1000, 1000))\nx @ x'));
    expect(e).toMatchObject({ type: 'MemoryError', limit: 'maxTotalElements' });
  });
  it('Python lists and strings', () => {
    for (const code of ['[0] * 10**9', '"a" * 10**9', 'list(range(10**9))', '(1, 2) * 10**8', 'x = [1]\nwhile True:\n    x = x + x', 'x = "ab"\nwhile True:\n    x += x']) {
      const e = fail(evaluate(code));
      expect(e, code).toMatchObject({ type: 'MemoryError', limit: 'maxArrayElements' });
    }
  });
  it('recursion depth', () => {
    const e = fail(evaluate('def f(n):\n    return f(n + 1)\nf(0)'));
    expect(e).toMatchObject({ type: 'RecursionError', limit: 'maxRecursion', line: 2 });
  });
  it('a JS stack overflow is a RecursionError, not a crash', () => {
    const e = fail(evaluate('def f(n):\n    return f(n + 1)\nf(0)', {}, { maxRecursion: 1e9 }));
    expect(e.type).toBe('RecursionError');
  });
  it('deeply nested expressions do not crash the parser', () => {
    const code = `${'('.repeat(5000)}1${')'.repeat(5000)}`;
    const r = evaluate(code);
    if (!r.ok) expect(['RecursionError', 'SyntaxError']).toContain(r.error.type);
    const deepList = `${'['.repeat(3000)}${']'.repeat(3000)}`;
    const r2 = evaluate(deepList);
    if (!r2.ok) expect(['RecursionError', 'SyntaxError']).toContain(r2.error.type);
  });
  it('code size', () => {
    const e = fail(evaluate(`x = 1\n${'#'.repeat(30_000)}`));
    expect(e).toMatchObject({ type: 'MemoryError', limit: 'maxCodeLength' });
  });
  it('printed output', () => {
    const e = fail(evaluate('while True:\n    print("x" * 100)'));
    expect(e).toMatchObject({ type: 'MemoryError', limit: 'maxOutputChars' });
  });
  it('huge integers do not hang: they are a clean OverflowError', () => {
    const e = fail(evaluate('x = 10 ** 10 ** 10\nx > 0'));
    expect(e).toMatchObject({ type: 'OverflowError', line: 1, col: 5 });
  });
  it('limits are configurable', () => {
    expect(fail(evaluate('np.zeros(11)', {}, { maxArrayElements: 10 })).limit).toBe('maxArrayElements');
    expect(evaluate('np.zeros(10).shape', {}, { maxArrayElements: 10 })).toMatchObject({ ok: true, value: [10] });
    expect(fail(evaluate('print("abcdef")', {}, { maxOutputChars: 5 })).limit).toBe('maxOutputChars');
    expect(fail(evaluate('x = 1', {}, { maxCodeLength: 3 })).limit).toBe('maxCodeLength');
    expect(fail(evaluate('def f(n):\n    return 0 if n == 0 else f(n - 1)\nf(5)', {}, { maxRecursion: 3 })).limit).toBe('maxRecursion');
  });
});

describe('host values are protected', () => {
  it('learner writes do not reach the caller inputs', () => {
    const arr = { dtype: 'float32' as const, shape: [3], data: [1, 2, 3] };
    const list = [1, 2, 3];
    const r = evaluate('a[0] = 100\na += 1\nl.append(4)\na, l', { a: arr, l: list });
    expect(r).toMatchObject({ ok: true });
    expect(arr.data).toEqual([1, 2, 3]);
    expect(list).toEqual([1, 2, 3]);
    // the same inputs evaluate the same way again
    expect(evaluate('a.sum()', { a: arr })).toMatchObject({ ok: true, value: 6 });
  });
});

describe('classes reach nothing but learner values', () => {
  const prelude = 'class Base:\n    k = 1\n    def __init__(self):\n        self.w = np.zeros(2)\n    def f(self):\n        return 1\nclass C(Base):\n    def g(self):\n        return super()\nobj = C()\n';
  const targets = ['obj', 'C', 'Base', 'obj.f', 'C.f', 'obj.g()', 'super(C, obj)', 'ValueError', 'ValueError("x")', 'Exception'];
  const special = ['__class__', '__dict__', '__mro__', '__subclasses__', '__globals__', '__code__', '__closure__', '__bases__', '__base__', '__builtins__', '__self__', '__func__', '__name__', '__module__', '__doc__', '__getattribute__', '__new__', '__init_subclass__', '__reduce__', '__weakref__'];
  for (const target of targets) {
    it(`${target}.<special> is an AttributeError`, () => {
      for (const attr of special) {
        const e = fail(evaluate(`${prelude}x = ${target}\nx.${attr}`));
        expect(e.type, `${target}.${attr}`).toBe('AttributeError');
        expect(e.line).toBe(12);
      }
    });
  }
  it('JS property names are plain attribute names of instances and classes', () => {
    const names = ['constructor', '__proto__', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf'];
    for (const n of names) {
      expect(fail(evaluate(`${prelude}obj.${n}`)).type, n).toBe('AttributeError');
      expect(fail(evaluate(`${prelude}C.${n}`)).type, n).toBe('AttributeError');
    }
    const sets = names.map((n, i) => `obj.${n} = ${i}\nC.${n} = ${i * 10}`).join('\n');
    const reads = names.map((n) => `obj.${n}`).join(', ');
    const creads = names.map((n) => `C.${n}`).join(', ');
    const r = evaluate(`${prelude}${sets}\nother = Base()\n[${reads}], [${creads}], other.k, obj.w.shape`);
    expect(r).toMatchObject({ ok: true, value: [[0, 1, 2, 3, 4, 5, 6, 7], [0, 10, 20, 30, 40, 50, 60, 70], 1, [2]] });
    // nothing leaked onto JS prototypes
    expect(({} as Record<string, unknown>).toString).toBe(Object.prototype.toString);
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'prototype')).toBe(false);
  });
  it('special attributes cannot be assigned or deleted', () => {
    for (const attr of ['__class__', '__dict__', '__mro__', '__bases__', '__globals__', '__name__']) {
      expect(fail(evaluate(`${prelude}obj.${attr} = 1`)).type, attr).toBe('AttributeError');
      expect(fail(evaluate(`${prelude}C.${attr} = 1`)).type, attr).toBe('AttributeError');
      expect(fail(evaluate(`${prelude}del obj.${attr}`)).type, attr).toBe('AttributeError');
    }
    expect(fail(evaluate('class A:\n    __dict__ = 1')).type).toBe('NameError');
    expect(fail(evaluate('class A:\n    __class__ = 1')).type).toBe('NameError');
  });
  it('bound methods, super objects and exceptions expose nothing', () => {
    for (const code of ['obj.f.__func__', 'obj.f.__self__', 'obj.f.im_func', 'obj.f.fn', 'obj.f.self', 'super(C, obj).cls', 'super(C, obj).self', 'ValueError("x").message', 'ValueError("x").__traceback__', 'ValueError.__subclasses__', 'obj.attrs', 'obj.cls', 'C.attrs', 'C.base']) {
      expect(fail(evaluate(`${prelude}${code}`)).type, code).toBe('AttributeError');
    }
  });
  it('names that are not builtins stay undefined inside classes', () => {
    for (const n of ['type', 'object', 'getattr', 'setattr', 'vars', 'globals', '__build_class__', 'classmethod', 'staticmethod', 'property']) {
      expect(fail(evaluate(`class A:\n    def f(self):\n        return ${n}\nA().f()`)).type, n).toBe('NameError');
    }
  });
  it('base classes must be learner classes', () => {
    for (const b of ['int', 'list', 'np.ndarray', 'ValueError', 'len', '1']) {
      expect(fail(evaluate(`class A(${b}):\n    pass`)).type, b).toBe('TypeError');
    }
  });
  it('limit errors cannot be caught by except', () => {
    expect(fail(evaluate('while True:\n    try:\n        while True:\n            pass\n    except Exception:\n        pass', {}, { maxSteps: 10_000 }))).toMatchObject({ type: 'TimeoutError', limit: 'maxSteps' });
    expect(fail(evaluate('try:\n    x = np.ones(10**9)\nexcept:\n    x = 0\nx'))).toMatchObject({ type: 'MemoryError', limit: 'maxArrayElements' });
    expect(fail(evaluate('def f():\n    try:\n        return f()\n    except RecursionError:\n        return 0\n    finally:\n        return 1\nf()'))).toMatchObject({ type: 'RecursionError', limit: 'maxRecursion' });
    const t0 = performance.now();
    const e = fail(evaluate('def f():\n    try:\n        while True:\n            pass\n    finally:\n        return 1\nwhile True:\n    f()', {}, { maxSteps: 1e12, timeoutMs: 100 }));
    expect(e).toMatchObject({ type: 'TimeoutError', limit: 'timeoutMs' });
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('collections and sets reach nothing but learner values', () => {
  const prelude = 'import collections\nfrom collections import Counter, defaultdict\nc = Counter("aab")\nd = defaultdict(list)\ns = {1, 2}\n';
  const targets = ['collections', 'Counter', 'defaultdict', 'c', 'd', 's', 'set', 'c.most_common', 's.add', 'd.default_factory'];
  const attrs = ['__class__', '__dict__', '__mro__', '__subclasses__', '__globals__', '__code__', '__builtins__', '__base__', '__self__', '__func__', '__name__', '__module__', '__proto__', '__init__', '__missing__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'call', 'apply', 'bind', 'map', 'flavor', 'kind', 'factory', 'attrs'];
  for (const target of targets) {
    it(`${target}.<special> is an AttributeError`, () => {
      for (const attr of attrs) {
        const e = fail(evaluate(`${prelude}x = ${target}\nx.${attr}`));
        expect(e.type, `${target}.${attr}`).toBe('AttributeError');
        expect(e.line).toBe(7);
      }
    });
  }
  it('attributes of Counter, defaultdict, sets and the module cannot be assigned', () => {
    for (const code of ['c.most_common = 1', 'c.__class__ = 1', 'd.default_factory = int', 's.add = 1', 'collections.Counter = 1', 'collections.__dict__ = 1', 'Counter.constructor = 1']) {
      expect(fail(evaluate(`${prelude}${code}`)).type, code).toBe('AttributeError');
    }
  });
  it('a set has no dict methods or item access', () => {
    for (const m of ['keys', 'values', 'items', 'get', 'setdefault', 'pop']) expect(fail(evaluate(`${prelude}s.${m}`)).type, m).toBe('AttributeError');
    expect(fail(evaluate(`${prelude}s[1]`)).type).toBe('TypeError');
    expect(fail(evaluate(`${prelude}s[1] = 5`)).type).toBe('TypeError');
    expect(fail(evaluate(`${prelude}dict(s)`)).type).toBe('TypeError');
    expect(fail(evaluate(`${prelude}def f(**k):\n    return k\nf(**s)`)).type).toBe('TypeError');
  });
  it('JS property names are plain keys of Counter, defaultdict and set', () => {
    const r = evaluate(`${prelude}k = Counter(['constructor', '__proto__', 'toString', 'constructor'])\nk['prototype'] += 1\ng = defaultdict(int)\ng['__proto__'] += 2\ng['constructor'] += 3\nt = {'__proto__', 'constructor'}\nt.add('hasOwnProperty')\nk.most_common(), k['valueOf'], dict(g), sorted(t), 'toString' in t`);
    expect(r).toMatchObject({
      ok: true,
      value: [[['constructor', 2], ['__proto__', 1], ['toString', 1], ['prototype', 1]], 0, { dict: [['__proto__', 2], ['constructor', 3]] }, ['__proto__', 'constructor', 'hasOwnProperty'], false],
    });
    expect(({} as Record<string, unknown>).toString).toBe(Object.prototype.toString);
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'constructor')).toBe(true);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
  it.each(['from collections import OrderedDict', 'from collections import *', 'import collections.abc', 'from collections.abc import Mapping', 'import collections, os', 'from collections import Counter, deque'])('refuses %s', (code) => {
    expect(fail(evaluate(code)).type).toBe('ImportError');
  });
  it('collections is not bound without an import', () => {
    expect(fail(evaluate('collections.Counter()')).type).toBe('NameError');
    expect(fail(evaluate('Counter()')).type).toBe('NameError');
    expect(fail(evaluate('defaultdict(int)')).type).toBe('NameError');
  });
  it('limits hold inside Counter, defaultdict factories and sets', () => {
    expect(fail(evaluate('from collections import Counter\nCounter(range(10**5))', {}, { maxSteps: 10_000 }))).toMatchObject({ type: 'TimeoutError', limit: 'maxSteps' });
    expect(fail(evaluate('from collections import Counter\nCounter(range(10**7))'))).toMatchObject({ type: 'MemoryError', limit: 'maxArrayElements' });
    expect(fail(evaluate('{x for x in range(10**7)}', {}, { maxSteps: 100_000 }))).toMatchObject({ type: 'TimeoutError', limit: 'maxSteps' });
    expect(fail(evaluate('s = set()\nfor i in range(2000):\n    s.add(i)', {}, { maxArrayElements: 1000 }))).toMatchObject({ type: 'MemoryError', limit: 'maxArrayElements' });
    expect(fail(evaluate('from collections import defaultdict\ndef f():\n    return g[0]\ng = defaultdict(f)\ng[1]'))).toMatchObject({ type: 'RecursionError', limit: 'maxRecursion' });
    expect(fail(evaluate('from collections import defaultdict\ng = defaultdict(list)\nfor i in range(2000):\n    g[i]', {}, { maxArrayElements: 1000 }))).toMatchObject({ type: 'MemoryError', limit: 'maxArrayElements' });
  });
});
