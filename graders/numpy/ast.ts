// Typed AST of the supported Python subset. Every node carries its source span (offsets into the code).

import type { Span } from './errors';

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '@' | '&' | '|' | '^' | '<<' | '>>';
export type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!=' | 'in' | 'not in' | 'is' | 'is not';
export type UnaryOp = '-' | '+' | 'not' | '~';

interface Base {
  span: Span;
}

export interface NameExpr extends Base {
  type: 'Name';
  id: string;
}
export interface ConstExpr extends Base {
  type: 'Const';
  value: { kind: 'int' | 'float'; v: number } | { kind: 'bool'; v: boolean } | { kind: 'str'; v: string } | { kind: 'none' } | { kind: 'ellipsis' };
}
export interface ListExpr extends Base {
  type: 'List';
  elts: Expr[];
}
export interface TupleExpr extends Base {
  type: 'Tuple';
  elts: Expr[];
}
export interface SetExpr extends Base {
  type: 'Set';
  elts: Expr[];
}
export interface DictExpr extends Base {
  type: 'Dict';
  keys: Expr[];
  values: Expr[];
}
export interface AttributeExpr extends Base {
  type: 'Attribute';
  value: Expr;
  attr: string;
  attrSpan: Span;
}
export interface SubscriptExpr extends Base {
  type: 'Subscript';
  value: Expr;
  /** One entry per comma-separated item; `tuple` tells whether the index was written as a tuple. */
  items: Expr[];
  tuple: boolean;
}
export interface SliceExpr extends Base {
  type: 'Slice';
  lower: Expr | null;
  upper: Expr | null;
  step: Expr | null;
}
export interface StarredExpr extends Base {
  type: 'Starred';
  value: Expr;
}
export interface Keyword {
  /** null for `**mapping` */
  name: string | null;
  value: Expr;
}
export interface CallExpr extends Base {
  type: 'Call';
  func: Expr;
  args: Expr[];
  keywords: Keyword[];
}
export interface UnaryExpr extends Base {
  type: 'Unary';
  op: UnaryOp;
  operand: Expr;
}
export interface BinaryExpr extends Base {
  type: 'Binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
}
export interface BoolOpExpr extends Base {
  type: 'BoolOp';
  op: 'and' | 'or';
  left: Expr;
  right: Expr;
}
export interface CompareExpr extends Base {
  type: 'Compare';
  left: Expr;
  ops: CompareOp[];
  comparators: Expr[];
}
export interface IfExpr extends Base {
  type: 'IfExp';
  test: Expr;
  body: Expr;
  orelse: Expr;
}
export interface Param {
  name: string;
  default: Expr | null;
  /** `*args` */
  star: boolean;
  /** `**kwargs` */
  dstar?: boolean;
  /** keyword-only (after `*` or `*args`) */
  kwonly?: boolean;
}
export interface LambdaExpr extends Base {
  type: 'Lambda';
  params: Param[];
  body: Expr;
}
export interface Comprehension {
  target: Expr;
  iter: Expr;
  ifs: Expr[];
}
export interface CompExpr extends Base {
  type: 'ListComp' | 'GeneratorExp' | 'SetComp';
  elt: Expr;
  generators: Comprehension[];
}
export interface DictCompExpr extends Base {
  type: 'DictComp';
  key: Expr;
  value: Expr;
  generators: Comprehension[];
}
export interface FStringExpr extends Base {
  type: 'FString';
  parts: (string | { expr: Expr; conversion: string | null; spec: string })[];
}

export type Expr =
  | NameExpr
  | ConstExpr
  | ListExpr
  | TupleExpr
  | DictExpr
  | AttributeExpr
  | SubscriptExpr
  | SliceExpr
  | StarredExpr
  | CallExpr
  | UnaryExpr
  | BinaryExpr
  | BoolOpExpr
  | CompareExpr
  | IfExpr
  | LambdaExpr
  | CompExpr
  | DictCompExpr
  | SetExpr
  | FStringExpr;

export interface ExprStmt extends Base {
  type: 'ExprStmt';
  value: Expr;
}
export interface AssignStmt extends Base {
  type: 'Assign';
  targets: Expr[];
  value: Expr;
}
export interface AugAssignStmt extends Base {
  type: 'AugAssign';
  target: Expr;
  op: BinaryOp;
  value: Expr;
}
export interface IfStmt extends Base {
  type: 'If';
  test: Expr;
  body: Stmt[];
  orelse: Stmt[];
}
export interface ForStmt extends Base {
  type: 'For';
  target: Expr;
  iter: Expr;
  body: Stmt[];
  orelse: Stmt[];
}
export interface WhileStmt extends Base {
  type: 'While';
  test: Expr;
  body: Stmt[];
  orelse: Stmt[];
}
export interface FunctionDefStmt extends Base {
  type: 'FunctionDef';
  name: string;
  params: Param[];
  body: Stmt[];
  /** Names assigned in the body (Python's rule: such a name is local in the whole function). */
  locals: Set<string>;
  globals: Set<string>;
}
export interface ClassDefStmt extends Base {
  type: 'ClassDef';
  name: string;
  bases: Expr[];
  body: Stmt[];
}
export interface ExceptHandler {
  span: Span;
  /** null for a bare `except:` */
  types: Expr | null;
  name: string | null;
  body: Stmt[];
}
export interface TryStmt extends Base {
  type: 'Try';
  body: Stmt[];
  handlers: ExceptHandler[];
  orelse: Stmt[];
  finalbody: Stmt[];
}
export interface RaiseStmt extends Base {
  type: 'Raise';
  exc: Expr | null;
}
export interface ReturnStmt extends Base {
  type: 'Return';
  value: Expr | null;
}
export interface SimpleStmt extends Base {
  type: 'Pass' | 'Break' | 'Continue';
}
export interface ImportStmt extends Base {
  type: 'Import';
  /** `import collections [as c]` (attr null) / `from collections import Counter [as C]`: names to bind. */
  binds?: { name: string; module: 'collections'; attr: string | null }[];
}
export interface GlobalStmt extends Base {
  type: 'Global';
  names: string[];
}
export interface AssertStmt extends Base {
  type: 'Assert';
  test: Expr;
  msg: Expr | null;
}
export interface DeleteStmt extends Base {
  type: 'Delete';
  targets: Expr[];
}

export type Stmt =
  | ExprStmt
  | AssignStmt
  | AugAssignStmt
  | IfStmt
  | ForStmt
  | WhileStmt
  | FunctionDefStmt
  | ClassDefStmt
  | TryStmt
  | RaiseStmt
  | ReturnStmt
  | SimpleStmt
  | ImportStmt
  | GlobalStmt
  | AssertStmt
  | DeleteStmt;

export interface Program {
  source: string;
  body: Stmt[];
}
