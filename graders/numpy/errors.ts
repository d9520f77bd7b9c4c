// The one catalog of learner-facing messages. Every error a learner can cause is a PyError whose `type` is the
// Python/numpy exception class name and whose message is Japanese. Internal bugs are plain JS errors.

import type { LimitName } from './limits';

/** Python / numpy exception class names the interpreter raises. */
export type PyErrorType =
  | 'SyntaxError'
  | 'NameError'
  | 'UnboundLocalError'
  | 'AttributeError'
  | 'TypeError'
  | 'ValueError'
  | 'AxisError'
  | 'IndexError'
  | 'KeyError'
  | 'ZeroDivisionError'
  | 'ImportError'
  | 'AssertionError'
  | 'RecursionError'
  | 'TimeoutError'
  | 'MemoryError'
  | 'OverflowError'
  | 'StopIteration'
  | 'Exception'
  | 'LookupError'
  | 'ArithmeticError'
  | 'RuntimeError'
  | 'NotImplementedError'
  | 'InternalError';

/** A source range, as offsets into the code. */
export interface Span {
  from: number;
  to: number;
}

/** A learner-facing error: Python class name + Japanese message (+ where, once known). */
export class PyError extends Error {
  span: Span | undefined;
  /** Which limit was hit, when the error comes from limits.ts. */
  limit: LimitName | undefined;
  constructor(
    readonly type: PyErrorType,
    readonly pyMessage: string,
    span?: Span,
    limit?: LimitName,
  ) {
    super(`${type}: ${pyMessage}`);
    this.name = 'PyError';
    this.span = span;
    this.limit = limit;
  }
}

/** Shape as numpy prints it: (3, 4), (5,), (). */
export function fmtShape(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

const q = (s: string): string => `'${s}'`;

/** Message constructors. Keep every learner-visible sentence here. */
export const msg = {
  // syntax
  syntax: (detail: string) => `構文エラーです: ${detail}`,
  syntaxUnexpected: (text: string) => `ここで ${text} は書けません`,
  syntaxIncomplete: () => 'コードが途中で終わっています (括弧やコロン、式の閉じ忘れはありませんか)',
  unsupported: (what: string) => `この構文はサポートしていません: ${what}`,
  returnOutside: () => "関数の外で 'return' は使えません",
  loopControlOutside: (kw: string) => `ループの外で '${kw}' は使えません`,
  badAssignTarget: () => 'この式には代入できません',
  codeTooLong: (max: number) => `コードが長すぎます (上限 ${max} 文字)`,
  importRefused: (name: string) =>
    `モジュール ${q(name)} は使えません (使えるのは 'import numpy as np' と collections の Counter / defaultdict だけです)`,
  // names and attributes
  nameNotDefined: (name: string) => `名前 ${q(name)} は定義されていません`,
  unboundLocal: (name: string) => `ローカル変数 ${q(name)} が代入前に参照されました`,
  noAttribute: (typeName: string, attr: string) => `${q(typeName)} オブジェクトに属性 ${q(attr)} はありません`,
  moduleNoAttribute: (mod: string, attr: string) => `モジュール ${q(mod)} に属性 ${q(attr)} はありません`,
  readOnlyAttribute: (typeName: string, attr: string) =>
    `${q(typeName)} オブジェクトの属性 ${q(attr)} には代入できません`,
  // calls
  notCallable: (typeName: string) => `${q(typeName)} オブジェクトは関数として呼び出せません`,
  tooManyArgs: (fn: string, max: number, got: number) =>
    `${fn}() の位置引数は最大 ${max} 個ですが ${got} 個渡されました`,
  missingArg: (fn: string, param: string) => `${fn}() に必須の引数 ${q(param)} が渡されていません`,
  unexpectedKwarg: (fn: string, kw: string) => `${fn}() はキーワード引数 ${q(kw)} を受け取りません`,
  duplicateArg: (fn: string, param: string) => `${fn}() の引数 ${q(param)} が二重に渡されました`,
  unsupportedArg: (fn: string, param: string, value: string) =>
    `${fn}() の引数 ${param}=${value} はサポートしていません`,
  // types
  badOperand: (op: string, a: string, b: string) =>
    `演算子 ${op} は ${q(a)} と ${q(b)} の組み合わせには使えません`,
  badUnary: (op: string, a: string) => `単項演算子 ${op} は ${q(a)} には使えません`,
  badArgType: (fn: string, arg: string, expected: string, got: string) =>
    `${fn}() の引数 ${arg} には ${expected} が必要ですが ${q(got)} が渡されました`,
  notIterable: (typeName: string) => `${q(typeName)} オブジェクトは繰り返し (for や展開) に使えません`,
  notSubscriptable: (typeName: string) => `${q(typeName)} オブジェクトには添字 [...] が使えません`,
  noItemAssign: (typeName: string) => `${q(typeName)} オブジェクトの要素には代入できません`,
  unhashable: (typeName: string) => `${q(typeName)} は辞書のキーに使えません (unhashable)`,
  indexNotInt: (typeName: string, got: string) =>
    `${typeName} の添字は整数かスライスでなければなりません ('${got}' が渡されました)`,
  arrayIndexType: (got: string) =>
    `配列の添字に使えるのは整数、スライス (:)、省略記号 (...)、None、整数または真偽値の配列だけです ('${got}' が渡されました)`,
  lenOfScalar: (typeName: string) => `${q(typeName)} オブジェクトには len() が使えません`,
  lenOfUnsized: () => '0 次元配列には len() が使えません',
  iterate0d: () => '0 次元配列は繰り返しに使えません',
  castInPlace: (op: string, from: string, to: string) =>
    `${op}= の結果 (${from}) を元の配列の型 ${to} に戻せません。astype で型を変えてから計算してください`,
  boolSubtract: () => "真偽値 (bool) の配列どうしの引き算 '-' はできません。論理演算には ^ や ~ を使ってください",
  convertToNumber: (to: string, got: string) => `${to}() に ${q(got)} は変換できません`,
  sizeOneOnly: (to: string) => `大きさ 1 の配列だけが ${to} に変換できます`,
  // values
  ambiguousTruth: () =>
    '要素が 2 つ以上ある配列の真偽値は決められません。a.any() か a.all() を使ってください',
  emptyTruth: () => '空の配列の真偽値は決められません',
  unpackCount: (expected: number, got: number) =>
    got > expected
      ? `展開する値が多すぎます (${expected} 個の変数に ${got} 個の値)`
      : `展開する値が足りません (${expected} 個の変数に ${got} 個の値)`,
  unpack0d: () => '0 次元配列は展開できません',
  listIndexRange: (what: string) => `${what} の添字が範囲外です`,
  popEmpty: () => '空のリストからは pop できません',
  keyMissing: (key: string) => `キー ${key} は辞書にありません`,
  zeroDivision: () => '0 で割ることはできません',
  zeroModulo: () => '0 で割った余りは求められません',
  intConvertNaN: () => 'NaN や無限大は整数に変換できません',
  intOverflow: () =>
    '整数が大きすぎます: この採点器で扱える整数は ±9007199254740991 (2**53 - 1) までです (Python の整数には上限がありませんが、ここでは対応していません)',
  floatOverflow: () => '浮動小数点数の計算結果が大きすぎます (オーバーフロー)',
  negativeShift: () => '負の数だけシフトすることはできません',
  emptySeparator: () => '区切り文字に空文字列は使えません',
  arangeLength: () => 'arange: NaN や無限大を含むため要素数を決められません',
  formatCode: (code: string, type: string) => `書式指定 '${code}' は '${type}' には使えません`,
  formatPrecisionInt: () => '整数の書式指定に精度 (.桁数) は使えません',
  mathDomain: (fn: string) => `${fn} の定義域の外の値です`,
  rangeStepZero: () => 'range() の step に 0 は使えません',
  minMaxEmpty: (fn: string) => `${fn}() に空の並びが渡されました`,
  assertion: (text: string) => text,
  isinstanceType: () => 'isinstance() の第 2 引数は型 (int, float, list など) か型のタプルでなければなりません',
  // classes and exceptions
  classNoAttribute: (cls: string, attr: string) => `${q(cls)} オブジェクトに属性 ${q(attr)} はありません`,
  specialAttribute: (attr: string) => `特殊属性 ${q(attr)} は使えません`,
  initReturned: (cls: string) => `${cls}.__init__() は None を返さなければなりません`,
  noInitArgs: (cls: string) => `${cls}() は引数を受け取りません (__init__ が定義されていません)`,
  badBase: (got: string) => `クラスの基底には class 文で定義したクラスを指定してください (${q(got)} が渡されました)`,
  superNoFrame: () => 'super(): 引数なしの super() はクラスのメソッドの中でだけ使えます',
  superArgs: () => 'super() の引数は (クラス, インスタンス) の 2 つか、なしです',
  noReraise: () => "再送出する例外がありません ('raise' だけの文は except の中で使ってください)",
  raiseNotException: (got: string) => `raise できるのは例外だけです (${q(got)} が渡されました)`,
  exceptNotException: (got: string) => `except に書けるのは例外クラスかそのタプルだけです (${q(got)} が渡されました)`,
  kwargsNotMapping: (got: string) => `** の後には辞書が必要です (${q(got)} が渡されました)`,
  kwargsKeyNotStr: () => '** で展開する辞書のキーは文字列でなければなりません',
  missingKwOnly: (fn: string, param: string) => `${fn}() に必須のキーワード専用引数 ${q(param)} が渡されていません`,
  // numpy
  ufuncAtArray: (op: string) => `${op}.at() の第 1 引数は配列 (ndarray) でなければなりません (その場で書き換えるため)`,
  ufuncAtSecond: (op: string) => `${op}.at() には加える値 (第 3 引数 b) が必要です`,
  einsumEllipsis: () => 'einsum の添字に省略記号 ... は使えません (この採点器では未対応です)。軸の文字をすべて書いてください',
  einsumBadSubscripts: (s: string) => `einsum の添字 '${s}' が読めません (使えるのは英字、カンマ、-> だけです)`,
  einsumOperandCount: (subs: number, ops: number) =>
    `einsum の添字は ${subs} 個の配列分ありますが、配列は ${ops} 個渡されました`,
  einsumOutputTwice: (c: string) => `einsum の出力の添字 '${c}' が 2 回以上あります`,
  einsumOutputUnknown: (c: string) => `einsum の出力の添字 '${c}' がどの入力にもありません`,
  einsumRank: (k: number, labels: number, rank: number) =>
    `einsum: ${k} 番目の配列の添字は ${labels} 文字ですが、配列は ${rank} 次元です`,
  einsumShape: (c: string, a: number, b: number) => `einsum: 添字 '${c}' の軸の長さが合いません (${a} と ${b})`,
  inhomogeneous: (depth: number) =>
    `配列にできません: リストの入れ子の長さがそろっていません (${depth} 段目)`,
  badArrayElement: (got: string) => `${q(got)} は配列の要素にできません`,
  broadcast: (a: readonly number[], b: readonly number[]) =>
    `形 ${fmtShape(a)} と ${fmtShape(b)} はブロードキャストできません`,
  broadcastTo: (from: readonly number[], to: readonly number[]) =>
    `形 ${fmtShape(from)} の値を形 ${fmtShape(to)} の場所に代入できません (ブロードキャストできません)`,
  axisOutOfBounds: (axis: number, ndim: number) => `axis ${axis} は ${ndim} 次元の配列の範囲外です`,
  repeatedAxis: () => 'axis に同じ軸が 2 回指定されています',
  concatNdim: (i: number, ndimA: number, ndimB: number) =>
    `連結する配列の次元数がそろっていません: 0 番目は ${ndimA} 次元、${i} 番目は ${ndimB} 次元です`,
  concatShape: (axis: number, a: readonly number[], b: readonly number[]) =>
    `連結する配列の形が axis=${axis} 以外で一致しません: ${fmtShape(a)} と ${fmtShape(b)}`,
  concat0d: () => '0 次元配列は連結できません',
  needAtLeastOne: (fn: string) => `${fn}() には配列を 1 つ以上渡してください`,
  stackShape: (a: readonly number[], b: readonly number[]) =>
    `stack する配列はすべて同じ形でなければなりません: ${fmtShape(a)} と ${fmtShape(b)}`,
  reshape: (size: number, shape: readonly number[]) =>
    `大きさ ${size} の配列を形 ${fmtShape(shape)} に変形できません`,
  reshapeMultipleUnknown: () => 'reshape で -1 は 1 つしか使えません',
  reshapeNegative: () => 'reshape の形に負の数 (-1 以外) は使えません',
  negativeDimension: () => '配列の形に負の数は使えません',
  splitUneven: () => '配列を等分できません (split の分割数が軸の長さを割り切りません)',
  squeezeAxis: () => '大きさが 1 でない軸は squeeze できません',
  transposeAxes: () => 'transpose の axes が配列の軸と一致しません',
  dotAligned: (a: readonly number[], b: readonly number[], ka: number, da: number, kb: number, db: number) =>
    `形 ${fmtShape(a)} と ${fmtShape(b)} の内積が取れません: ${ka} (軸 ${da}) と ${kb} (軸 ${db}) が一致しません`,
  matmulMismatch: (a: readonly number[], b: readonly number[], ka: number, kb: number) =>
    `matmul: 形 ${fmtShape(a)} と ${fmtShape(b)} の行列積が取れません: 内側の次元 ${ka} と ${kb} が一致しません`,
  matmulScalar: () => 'matmul (@) に 0 次元の値 (スカラー) は使えません。スカラー倍には * を使ってください',
  tooManyIndices: (ndim: number, got: number) =>
    `添字が多すぎます: 配列は ${ndim} 次元ですが ${got} 個の添字が指定されました`,
  indexOutOfBounds: (index: number, axis: number, size: number) =>
    `添字 ${index} は軸 ${axis} (大きさ ${size}) の範囲外です`,
  multipleEllipsis: () => '添字に省略記号 (...) は 1 つしか使えません',
  boolIndexShape: (axis: number, size: number, got: number) =>
    `真偽値の添字の形が配列と一致しません: 軸 ${axis} の大きさは ${size} ですが、添字の大きさは ${got} です`,
  fancyBroadcast: () => '整数配列の添字どうしの形がブロードキャストできません',
  sliceStepZero: () => 'スライスの step に 0 は使えません',
  emptyReduction: (op: string) => `大きさ 0 の配列には ${op} が使えません (単位元がありません)`,
  argReduceEmpty: (op: string) => `空の配列の ${op} は求められません`,
  linspaceNum: () => 'linspace の num は 0 以上でなければなりません',
  dtypeUnknown: (name: string) => `データ型 ${q(name)} はサポートしていません (float32, int32, bool が使えます)`,
  normOrd: (ord: string) => `norm の ord=${ord} はサポートしていません`,
  randintRange: () => 'randint: high は low より大きくなければなりません',
  choiceEmpty: () => 'choice: 空の配列からは選べません',
  probabilitiesSum: () => 'choice: 確率 p の合計が 1 になっていません',
  // limits
  limitSteps: (max: number) => `計算ステップ数の上限 (${max}) を超えました。無限ループになっていませんか`,
  // Wall time depends on the machine and its load, so it never blames a loop: only the step limit (above) does.
  limitTime: (ms: number) => `実行時間の上限 (${ms} ms) を超えました。計算量の大きすぎる処理がないか確認してください`,
  limitArray: (size: number, max: number) => `配列が大きすぎます: 要素数 ${size} (1 つの配列の上限 ${max})`,
  limitTotal: (max: number) => `作成した配列の要素数の合計が上限 (${max}) を超えました`,
  limitCollection: (max: number) => `リストや文字列が長すぎます (上限 ${max} 要素)`,
  limitRecursion: (max: number) => `関数呼び出しが深すぎます (上限 ${max} 段)。再帰が止まっていないのではありませんか`,
  limitOutput: (max: number) => `print の出力が上限 (${max} 文字) を超えました`,
  stackOverflow: () => '関数呼び出しかリストの入れ子が深すぎます。再帰が止まっていないのではありませんか',
  limitString: (max: number) => `文字列が長すぎます (上限 ${max} 文字)`,
  limitNesting: (max: number) =>
    `リストやタプルの入れ子が深すぎます (上限 ${max} 段)。自分自身を含むような入れ子になっていませんか`,
  limitValue: (max: number) => `結果の値が大きすぎます: 要素数の合計が上限 (${max}) を超えました`,
  keyTooLong: () => '辞書のキー (タプル) が大きすぎます',
  tooManyDims: (max: number) => `配列の次元数が多すぎます (上限 ${max} 次元)`,
  internal: () => '内部エラーが発生しました。この解答の問題ではない可能性があります',
} as const;

/** Shorthand constructors. */
export const raise = {
  type: (m: string): PyError => new PyError('TypeError', m),
  value: (m: string): PyError => new PyError('ValueError', m),
  index: (m: string): PyError => new PyError('IndexError', m),
  axis: (axis: number, ndim: number): PyError => new PyError('AxisError', msg.axisOutOfBounds(axis, ndim)),
};
