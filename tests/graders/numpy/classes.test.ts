// Classes, exceptions and keyword arguments (issue 13 §1): semantics the golden cases cannot show (identity,
// printing, error classes and messages), the limits for every new construct, host-composed programs longer than
// maxCodeLength, and tensor leaks. Values against real numpy live in the golden cases (class-*).

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../graders/numpy/backend-node';
import { type EvalResult, callFunction, evaluate, runProgram } from '../../../graders/numpy/index';

beforeAll(async () => {
  await initBackend('cpu');
});

function fail(r: EvalResult): { type: string; message: string; limit?: string; line: number; col: number } {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value).slice(0, 200)}`);
  return r.error;
}

const LAYER = (name: string): string => `
class ${name}:
    """A fully connected layer (${name}): y = x W + b.

    The docstring is long on purpose: a template or prelude holding several textbook classes is far longer
    than the learner's code, and only the learner's code counts against maxCodeLength.
    """
    def __init__(self, W, b):
        """Keep the parameters and gradient arrays that an optimizer updates in place."""
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x = None

    def forward(self, x):
        W, b = self.params
        self.x = x
        return np.dot(x, W) + b

    def backward(self, dout):
        W, b = self.params
        dx = np.dot(dout, W.T)
        self.grads[0][...] = np.dot(self.x.T, dout)
        self.grads[1][...] = np.sum(dout, axis=0)
        return dx
`;

describe('class semantics', () => {
  it('instances, classes, methods and exceptions print like Python', () => {
    const r = evaluate(
      'class A:\n    def f(self):\n        return 1\na = A()\nprint(A, a, ValueError, ValueError("bad"), repr(ValueError("bad")))\nstr(a.f)[:15]',
    );
    expect(r).toMatchObject({ ok: true, value: '<bound method f', stdout: "<class '__main__.A'> <__main__.A object> <class 'ValueError'> bad ValueError('bad')\n" });
  });
  it('instances are hashable by identity and compare by identity', () => {
    const r = evaluate('class A:\n    pass\na, b = A(), A()\nd = {a: 1, b: 2}\nd[a], d[b], a == a, a == b, a is a, a != b, [a, b].index(b)');
    expect(r).toMatchObject({ ok: true, value: [1, 2, true, false, true, true, 1] });
  });
  it('class attributes are shared until an instance assigns its own', () => {
    const r = evaluate('class A:\n    n = 0\n    items = []\na, b = A(), A()\na.n += 5\na.items.append(1)\nA.n = 7\na.n, b.n, b.items, A.items is b.items');
    expect(r).toMatchObject({ ok: true, value: [5, 7, [1], true] });
  });
  it('methods see globals, not the class namespace', () => {
    const r = evaluate('k = "global"\nclass A:\n    k = "class"\n    def f(self):\n        return k\n    g = lambda self: k\nA().f(), A().g(), A.k');
    expect(r).toMatchObject({ ok: true, value: ['global', 'global', 'class'] });
  });
  it('classes defined in functions and functions returning instances', () => {
    const r = evaluate('def make(v):\n    class Box:\n        def __init__(self):\n            self.v = v\n    return Box()\nmake(3).v + make(4).v');
    expect(r).toMatchObject({ ok: true, value: 7 });
  });
  it('super() outside a method and bad super arguments', () => {
    expect(fail(evaluate('super()')).type).toBe('RuntimeError');
    expect(fail(evaluate('def f():\n    return super()\nf()')).type).toBe('RuntimeError');
    expect(fail(evaluate('super(1, 2)')).type).toBe('TypeError');
  });
  it('super().__init__() reaches object.__init__ at the top of the chain', () => {
    expect(evaluate('class A:\n    def __init__(self):\n        super().__init__()\n        self.x = 1\nA().x')).toMatchObject({ ok: true, value: 1 });
    expect(fail(evaluate('class A:\n    def __init__(self):\n        super().__init__(5)\nA()')).type).toBe('TypeError');
  });
  it('__init__ must return None; a class without __init__ takes no arguments', () => {
    expect(fail(evaluate('class A:\n    def __init__(self):\n        return 1\nA()')).type).toBe('TypeError');
    expect(fail(evaluate('class A:\n    pass\nA(1)')).type).toBe('TypeError');
    expect(fail(evaluate('class A:\n    pass\nA(k=1)')).type).toBe('TypeError');
  });
  it('class Name(object) is a plain class', () => {
    expect(evaluate('class A(object):\n    x = 2\nA().x')).toMatchObject({ ok: true, value: 2 });
  });
  it('del removes an instance attribute', () => {
    expect(evaluate('class A:\n    y = 1\na = A()\na.y = 5\ndel a.y\na.y')).toMatchObject({ ok: true, value: 1 });
    expect(fail(evaluate('class A:\n    pass\na = A()\ndel a.y')).type).toBe('AttributeError');
  });
  it('error messages are Japanese and point at the expression', () => {
    const e = fail(evaluate('class A:\n    def __init__(self):\n        self.x = 1\na = A()\na.y'));
    expect(e).toMatchObject({ type: 'AttributeError', line: 5, col: 1, message: "'A' オブジェクトに属性 'y' はありません" });
  });
  it('callFunction and runProgram work with class programs', () => {
    const code = `${LAYER('Affine')}\ndef run(x):\n    layer = Affine(np.ones((3, 2)), np.zeros(2))\n    y = layer.forward(x)\n    layer.backward(np.ones_like(y))\n    return layer.grads[0]\n`;
    const x = { dtype: 'float32' as const, shape: [2, 3], data: [1, 2, 3, 4, 5, 6] };
    expect(callFunction(code, 'run', [x])).toMatchObject({ ok: true, value: { shape: [3, 2], data: [5, 5, 7, 7, 9, 9] } });
    const r = runProgram(`${LAYER('Affine')}\nlayer = Affine(np.ones((1, 1)), np.zeros(1))\nn = 3`);
    expect(r).toMatchObject({ ok: true, globals: { n: 3 } });
    if (r.ok) expect(Object.keys(r.globals)).not.toContain('Affine');
  });
});

describe('exceptions', () => {
  it('the hierarchy of the built-in classes', () => {
    const r = evaluate(
      'def kind(f):\n    try:\n        f()\n    except ZeroDivisionError:\n        return "zero"\n    except LookupError as e:\n        return "lookup"\n    except ArithmeticError:\n        return "arith"\n    except Exception:\n        return "other"\n    return "none"\n' +
        '[kind(lambda: 1 / 0), kind(lambda: [][1]), kind(lambda: {}["k"]), kind(lambda: np.sum(np.ones(2), axis=3)), kind(lambda: int("x")), kind(lambda: 1)]',
    );
    expect(r).toMatchObject({ ok: true, value: ['zero', 'lookup', 'lookup', 'other', 'other', 'none'] });
  });
  it('AxisError is caught as ValueError and as IndexError', () => {
    expect(evaluate('try:\n    np.sum(np.ones(2), axis=3)\nexcept IndexError:\n    r = 1\nr')).toMatchObject({ ok: true, value: 1 });
    expect(evaluate('try:\n    np.sum(np.ones(2), axis=3)\nexcept ValueError:\n    r = 2\nr')).toMatchObject({ ok: true, value: 2 });
  });
  it('raise keeps the class and message; bare raise re-raises', () => {
    expect(fail(evaluate('raise ValueError("形が違います")'))).toMatchObject({ type: 'ValueError', message: '形が違います', line: 1 });
    expect(fail(evaluate('try:\n    [][0]\nexcept IndexError:\n    raise'))).toMatchObject({ type: 'IndexError', line: 2 });
    expect(fail(evaluate('raise'))).toMatchObject({ type: 'RuntimeError' });
    expect(fail(evaluate('raise 5'))).toMatchObject({ type: 'TypeError' });
    expect(fail(evaluate('try:\n    pass\nexcept 5:\n    pass\n[][0]'))).toMatchObject({ type: 'IndexError' });
    expect(fail(evaluate('try:\n    [][0]\nexcept 5:\n    pass'))).toMatchObject({ type: 'TypeError' });
  });
  it('e.args, str(e), isinstance(e, ...)', () => {
    const r = evaluate('try:\n    raise KeyError("k", 2)\nexcept Exception as e:\n    out = (e.args, isinstance(e, LookupError), isinstance(e, ValueError))\nout');
    expect(r).toMatchObject({ ok: true, value: [['k', 2], true, false] });
  });
  it('finally runs on return, break and errors; a return in finally wins', () => {
    const r = evaluate(
      'log = []\ndef f():\n    try:\n        return 1\n    finally:\n        log.append("f")\ndef g():\n    try:\n        1 / 0\n    finally:\n        return 2\nfor i in range(3):\n    try:\n        if i == 1:\n            break\n    finally:\n        log.append(i)\nf(), g(), log',
    );
    expect(r).toMatchObject({ ok: true, value: [1, 2, [0, 1, 'f']] });
  });
  it('syntax: except order and shapes', () => {
    expect(fail(evaluate('try:\n    pass\nexcept:\n    pass\nexcept ValueError:\n    pass')).type).toBe('SyntaxError');
    expect(fail(evaluate('try:\n    pass')).type).toBe('SyntaxError');
  });
});

describe('keyword-only parameters and **kwargs', () => {
  it('binds like Python', () => {
    const r = evaluate('def f(a, *args, b=2, c, **kw):\n    return a, args, b, c, kw\nf(1, 2, 3, c=4, z=5), f(*[1], **{"c": 0, "b": 9})');
    expect(r).toMatchObject({ ok: true, value: [[1, [2, 3], 2, 4, { dict: [['z', 5]] }], [1, [], 9, 0, { dict: [] }]] });
  });
  it('errors', () => {
    expect(fail(evaluate('def f(a, *, b):\n    return a\nf(1)')).type).toBe('TypeError');
    expect(fail(evaluate('def f(a, *, b):\n    return a\nf(1, 2)')).type).toBe('TypeError');
    expect(fail(evaluate('def f(**kw):\n    return kw\nf(1)')).type).toBe('TypeError');
    expect(fail(evaluate('def f(a):\n    return a\nf(a=1, **{"a": 2})')).type).toBe('TypeError');
    expect(fail(evaluate('def f(**kw):\n    return kw\nf(**{1: 2})')).type).toBe('TypeError');
    expect(fail(evaluate('def f(**kw):\n    return kw\nf(**[1])')).type).toBe('TypeError');
    expect(fail(evaluate('def f(**kw, a):\n    pass')).type).toBe('SyntaxError');
    expect(fail(evaluate('def f(*, **kw):\n    pass\nf()')).type).toBe('SyntaxError');
  });
  it('builtins and numpy functions take **kwargs too', () => {
    expect(evaluate('opts = {"axis": 0, "keepdims": True}\nnp.sum(np.ones((2, 3)), **opts).shape')).toMatchObject({ ok: true, value: [1, 3] });
  });
});

describe('limits hold for classes', () => {
  it('a method calling itself forever is a RecursionError at the call', () => {
    const e = fail(evaluate('class A:\n    def f(self):\n        return self.f()\nA().f()'));
    expect(e).toMatchObject({ type: 'RecursionError', limit: 'maxRecursion', line: 3 });
  });
  it('__init__ that builds its own class forever, and __call__ recursion', () => {
    expect(fail(evaluate('class A:\n    def __init__(self):\n        self.child = A()\nA()'))).toMatchObject({ type: 'RecursionError', limit: 'maxRecursion' });
    expect(fail(evaluate('class A:\n    def __call__(self):\n        return self()\nA()()'))).toMatchObject({ type: 'RecursionError', limit: 'maxRecursion' });
    expect(fail(evaluate('class A:\n    def __init__(self):\n        super().__init__()\n        A.__init__(self)\nA()'))).toMatchObject({ type: 'RecursionError', limit: 'maxRecursion' });
  });
  it('deep super() chains stay inside the recursion limit', () => {
    let code = 'class C0:\n    def f(self):\n        return 0\n';
    for (let i = 1; i < 150; i++) code += `class C${i}(C${i - 1}):\n    def f(self):\n        return super().f() + 1\n`;
    expect(evaluate(`${code}C149().f()`, {}, { maxCodeLength: 100_000 })).toMatchObject({ ok: true, value: 149 });
    let deep = 'class C0:\n    def f(self):\n        return 0\n';
    for (let i = 1; i < 400; i++) deep += `class C${i}(C${i - 1}):\n    def f(self):\n        return super().f() + 1\n`;
    expect(fail(evaluate(`${deep}C399().f()`, {}, { maxCodeLength: 100_000 }))).toMatchObject({ type: 'RecursionError', limit: 'maxRecursion' });
  });
  it('creating instances in a loop counts steps and time', () => {
    expect(fail(evaluate('class A:\n    def __init__(self):\n        self.w = 0\nwhile True:\n    a = A()'))).toMatchObject({ type: 'TimeoutError', limit: 'maxSteps' });
    expect(fail(evaluate('class A:\n    def __init__(self):\n        self.w = np.ones((1000, 100))\nxs = [A() for _ in range(1000)]'))).toMatchObject({ type: 'MemoryError', limit: 'maxTotalElements' });
  });
  it('an instance holding itself prints and compares without walking it', () => {
    expect(evaluate('class A:\n    pass\na = A()\na.me = a\na.items = [a, a]\nstr(a.items)[:12], a.items == a.items')).toMatchObject({ ok: true, value: ['[<__main__.A', true] });
  });
  it('except cannot hide a limit, finally does not run after one', () => {
    const r = evaluate('log = []\ndef f():\n    try:\n        f()\n    finally:\n        log.append(1)\nf()');
    expect(fail(r)).toMatchObject({ type: 'RecursionError', limit: 'maxRecursion' });
    expect(r.stdout).toBe('');
  });
});

describe('code length counts the learner code only', () => {
  const prelude = Array.from({ length: 32 }, (_, i) => LAYER(`Layer${i}`)).join('\n');
  it('the prelude is longer than maxCodeLength', () => {
    expect(prelude.length).toBeGreaterThan(25_000);
  });
  it('a 25,000+ character prelude with several classes runs when the host marks the learner span', () => {
    const learner = 'layer = Layer7(np.ones((3, 2)), np.zeros(2))\nout = layer.forward(np.ones((1, 3)))';
    const code = `${prelude}\n${learner}\nout`;
    const from = prelude.length + 1;
    const r = evaluate(code, {}, { learnerSpan: { from, to: from + learner.length } });
    expect(r).toMatchObject({ ok: true, value: { shape: [1, 2], data: [3, 3] } });
    // without the span the whole program counts, as before
    expect(fail(evaluate(code))).toMatchObject({ type: 'MemoryError', limit: 'maxCodeLength' });
  });
  it('a learner span over the limit is refused, pointing at the learner code', () => {
    const learner = `x = 1${' '.repeat(20_001)}`;
    const code = `${prelude}\n${learner}\nx`;
    const from = prelude.length + 1;
    const e = fail(evaluate(code, {}, { learnerSpan: { from, to: from + learner.length } }));
    expect(e).toMatchObject({ type: 'MemoryError', limit: 'maxCodeLength' });
    expect(e.line).toBeGreaterThan(100);
  });
  it('host text is bounded too (10 × maxCodeLength)', () => {
    const huge = `${'#'.repeat(200_001)}\nx = 1`;
    expect(fail(evaluate(huge, {}, { learnerSpan: { from: huge.length - 5, to: huge.length } }))).toMatchObject({ type: 'MemoryError', limit: 'maxCodeLength' });
  });
});

describe('tensor leaks', () => {
  it('1000 class programs leave numTensors unchanged', () => {
    const programs = [
      `${LAYER('Affine')}\nlayer = Affine(np.ones((3, 2)), np.zeros(2))\ny = layer.forward(np.ones((4, 3)))\nlayer.backward(np.ones_like(y))\nlayer.grads`,
      `${LAYER('Affine')}\nlayer = Affine(np.ones((3, 2)), np.zeros(2))\nlayer.forward(np.ones((4, 5)))`,
      'class A:\n    def f(self):\n        return self.f()\nA().f()',
      'class A:\n    def __init__(self):\n        self.w = np.ones(3)\ntry:\n    A().w[5]\nexcept IndexError as e:\n    r = str(e)\nr',
      'class A:\n    def __init__(self):\n        self.w = np.zeros(4)\na = A()\nnp.add.at(a.w, [0, 0, 1], 1)\nwhile True:\n    a.w += 1',
    ];
    for (const p of programs) evaluate(p, {}, { maxSteps: 5000 });
    const before = tf.memory().numTensors;
    let errors = 0;
    for (let i = 0; i < 1000; i++) {
      const r = evaluate(programs[i % programs.length]!, {}, { maxSteps: 5000 });
      if (!r.ok) errors++;
    }
    expect(errors).toBe(600);
    expect(tf.memory().numTensors).toBe(before);
  });
});
