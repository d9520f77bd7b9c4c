// Lezer tree → typed AST. @lezer/python has no Slice or keyword-argument nodes and flat tuple assignments
// (see MACHINE-NOTES), so this module regroups flat token lists. Anything outside the supported subset is a
// SyntaxError with the position of the offending node.

import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';
import type * as A from './ast';
import { msg, PyError, type Span } from './errors';

const NON_ASCII = /[^\x00-\x7f]/;

class Parser {
  private loopDepth = 0;
  private fnDepth = 0;
  constructor(private readonly src: string) {}

  text(n: SyntaxNode): string {
    return this.src.slice(n.from, n.to);
  }
  /** An identifier as Python reads it: NFKC-normalised (`ｘ` is `x`). */
  ident(n: SyntaxNode): string {
    const s = this.src.slice(n.from, n.to);
    return NON_ASCII.test(s) ? s.normalize('NFKC') : s;
  }
  span(n: SyntaxNode): Span {
    return { from: n.from, to: n.to };
  }
  fail(n: SyntaxNode | Span, m: string): PyError {
    return new PyError('SyntaxError', m, { from: n.from, to: n.to });
  }
  unsupported(n: SyntaxNode, what: string): PyError {
    return this.fail(n, msg.unsupported(what));
  }

  /** Children without comments. */
  kids(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') out.push(c);
    return out;
  }

  // ---------- statements ----------

  program(top: SyntaxNode): A.Program {
    return { source: this.src, body: this.block(this.kids(top)) };
  }

  block(nodes: SyntaxNode[]): A.Stmt[] {
    const out: A.Stmt[] = [];
    let indent = -1;
    for (const n of nodes) {
      if (n.name === ':' || n.name === ';') continue;
      const col = this.lineIndent(n.from);
      if (col !== null) {
        if (indent === -1) indent = col;
        else if (col !== indent) throw this.fail(n, msg.syntax('インデント (字下げ) がそろっていません'));
      }
      if (n.name === 'StatementGroup') {
        for (const s of this.kids(n)) if (s.name !== ';') out.push(this.stmt(s));
      } else out.push(this.stmt(n));
    }
    return out;
  }

  /** Column of `pos` if only whitespace precedes it on its line, else null. */
  lineIndent(pos: number): number | null {
    let i = pos - 1;
    while (i >= 0 && (this.src[i] === ' ' || this.src[i] === '\t')) i--;
    if (i >= 0 && this.src[i] !== '\n' && this.src[i] !== '\r') return null;
    return pos - i - 1;
  }

  body(n: SyntaxNode): A.Stmt[] {
    if (n.name !== 'Body') throw this.fail(n, msg.syntaxIncomplete());
    const stmts = this.block(this.kids(n));
    if (stmts.length === 0) throw this.fail(n, msg.syntax('ブロックの中身がありません'));
    return stmts;
  }

  stmt(n: SyntaxNode): A.Stmt {
    const span = this.span(n);
    const k = this.kids(n);
    switch (n.name) {
      case 'ExpressionStatement':
        return { type: 'ExprStmt', span, value: this.exprList(k) };
      case 'AssignStatement': {
        const segments: SyntaxNode[][] = [[]];
        for (const c of k) {
          if (c.name === 'AssignOp') segments.push([]);
          else if (c.name !== 'TypeDef') segments[segments.length - 1]!.push(c);
        }
        const valueNodes = segments.pop()!;
        if (valueNodes.length === 0) throw this.fail(n, msg.syntaxIncomplete());
        const targets = segments.map((s) => this.target(this.exprList(s)));
        if (targets.length === 0) throw this.unsupported(n, '型注釈だけの文');
        return { type: 'Assign', span, targets, value: this.exprList(valueNodes) };
      }
      case 'UpdateStatement': {
        const i = k.findIndex((c) => c.name === 'UpdateOp');
        if (i < 0) throw this.fail(n, msg.syntaxIncomplete());
        const opText = this.text(k[i]!).slice(0, -1);
        const op = BINARY_OPS[opText];
        if (!op) throw this.unsupported(k[i]!, this.text(k[i]!));
        const target = this.target(this.exprList(k.slice(0, i)));
        if (target.type === 'Tuple' || target.type === 'List') throw this.fail(n, msg.badAssignTarget());
        return { type: 'AugAssign', span, target, op, value: this.exprList(k.slice(i + 1)) };
      }
      case 'IfStatement': {
        // if cond Body (elif cond Body)* (else Body)?
        const clauses: { test: A.Expr; body: A.Stmt[]; span: Span }[] = [];
        let orelse: A.Stmt[] = [];
        let i = 0;
        while (i < k.length) {
          const kw = k[i]!;
          if (kw.name === 'if' || kw.name === 'elif') {
            const test = this.expr(this.need(k[i + 1], n));
            const body = this.body(this.need(k[i + 2], n));
            clauses.push({ test, body, span: { from: kw.from, to: n.to } });
            i += 3;
          } else if (kw.name === 'else') {
            orelse = this.body(this.need(k[i + 1], n));
            i += 2;
          } else throw this.fail(kw, msg.syntaxUnexpected(this.text(kw)));
        }
        let stmt: A.IfStmt | null = null;
        for (let j = clauses.length - 1; j >= 0; j--) {
          const c = clauses[j]!;
          stmt = { type: 'If', span: j === 0 ? span : c.span, test: c.test, body: c.body, orelse: stmt ? [stmt] : orelse };
        }
        if (!stmt) throw this.fail(n, msg.syntaxIncomplete());
        return stmt;
      }
      case 'ForStatement': {
        const inIdx = k.findIndex((c) => c.name === 'in');
        const bodyIdx = k.findIndex((c) => c.name === 'Body');
        if (inIdx < 0 || bodyIdx < 0) throw this.fail(n, msg.syntaxIncomplete());
        const target = this.target(this.exprList(k.slice(1, inIdx)));
        const iter = this.exprList(k.slice(inIdx + 1, bodyIdx));
        this.loopDepth++;
        const body = this.body(k[bodyIdx]!);
        this.loopDepth--;
        const orelse = k[bodyIdx + 1]?.name === 'else' ? this.body(this.need(k[bodyIdx + 2], n)) : [];
        return { type: 'For', span, target, iter, body, orelse };
      }
      case 'WhileStatement': {
        const test = this.expr(this.need(k[1], n));
        this.loopDepth++;
        const body = this.body(this.need(k[2], n));
        this.loopDepth--;
        const orelse = k[3]?.name === 'else' ? this.body(this.need(k[4], n)) : [];
        return { type: 'While', span, test, body, orelse };
      }
      case 'FunctionDefinition': {
        const nameNode = this.need(k[1], n);
        if (nameNode.name !== 'VariableName') throw this.fail(nameNode, msg.syntaxIncomplete());
        const params = this.params(this.need(k[2], n));
        const bodyNode = k.find((c) => c.name === 'Body');
        if (!bodyNode) throw this.fail(n, msg.syntaxIncomplete());
        const savedLoop = this.loopDepth;
        this.loopDepth = 0;
        this.fnDepth++;
        const body = this.body(bodyNode);
        this.fnDepth--;
        this.loopDepth = savedLoop;
        const globals = new Set<string>();
        const locals = new Set<string>(params.map((p) => p.name));
        collectLocals(body, locals, globals);
        for (const g of globals) locals.delete(g);
        return { type: 'FunctionDef', span, name: this.ident(nameNode), params, body, locals, globals };
      }
      case 'ReturnStatement':
        if (this.fnDepth === 0) throw this.fail(n, msg.returnOutside());
        return { type: 'Return', span, value: k.length > 1 ? this.exprList(k.slice(1)) : null };
      case 'PassStatement':
        return { type: 'Pass', span };
      case 'BreakStatement':
      case 'ContinueStatement': {
        const kw = n.name === 'BreakStatement' ? 'break' : 'continue';
        if (this.loopDepth === 0) throw this.fail(n, msg.loopControlOutside(kw));
        return { type: kw === 'break' ? 'Break' : 'Continue', span };
      }
      case 'ImportStatement': {
        // Only `import numpy as np` (or `import numpy`) is accepted; it is a no-op since np is always bound.
        const names = k.filter((c) => c.name === 'VariableName').map((c) => this.ident(c));
        const isFrom = k[0]?.name === 'from';
        const first = names[0] ?? '';
        if (first === 'collections' && !k.some((c) => c.name === '.' || c.name === '*')) {
          // `import collections [as c]` or `from collections import Counter [as C], defaultdict`
          const binds: A.ImportStmt['binds'] = [];
          const rest = k.slice(k.findIndex((c) => c.name === 'VariableName') + 1);
          if (!isFrom) {
            if (rest.some((c) => c.name === ',')) throw new PyError('ImportError', msg.importRefused(names[2] ?? names[1] ?? first), span);
            binds.push({ name: names[1] ?? 'collections', module: 'collections', attr: null });
          } else {
            for (const part of this.splitCommas(rest.filter((c) => c.name !== 'import' && c.name !== '(' && c.name !== ')'))) {
              const ids = part.filter((c) => c.name === 'VariableName').map((c) => this.ident(c));
              if (ids.length === 0) continue;
              if (ids[0] !== 'Counter' && ids[0] !== 'defaultdict') throw new PyError('ImportError', msg.importRefused(`collections.${ids[0]}`), span);
              binds.push({ name: ids[1] ?? ids[0]!, module: 'collections', attr: ids[0]! });
            }
          }
          return { type: 'Import', span, binds };
        }
        if (isFrom || first !== 'numpy' || k.some((c) => c.name === ',' || c.name === '.')) {
          throw new PyError('ImportError', msg.importRefused(isFrom ? first : (names.find((x) => x !== 'numpy') ?? first)), span);
        }
        if (names.length === 2 && names[1] !== 'np') {
          return { type: 'Assign', span, targets: [{ type: 'Name', id: names[1]!, span }], value: { type: 'Name', id: 'np', span } };
        }
        if (names.length === 1) {
          return { type: 'Assign', span, targets: [{ type: 'Name', id: 'numpy', span }], value: { type: 'Name', id: 'np', span } };
        }
        return { type: 'Import', span };
      }
      case 'ScopeStatement': {
        if (k[0]?.name !== 'global') throw this.unsupported(n, 'nonlocal');
        return { type: 'Global', span, names: k.filter((c) => c.name === 'VariableName').map((c) => this.ident(c)) };
      }
      case 'AssertStatement': {
        const parts = this.splitCommas(k.slice(1));
        if (!parts[0] || parts[0].length === 0) throw this.fail(n, msg.syntaxIncomplete());
        const test = this.exprList(parts[0]);
        const m = parts[1] ? this.exprList(parts[1]) : null;
        return { type: 'Assert', span, test, msg: m };
      }
      case 'DeleteStatement': {
        const targets = this.splitCommas(k.slice(1)).map((p) => this.target(this.exprList(p)));
        return { type: 'Delete', span, targets };
      }
      case 'ClassDefinition': {
        const nameNode = this.need(k[1], n);
        if (nameNode.name !== 'VariableName') throw this.fail(nameNode, msg.syntaxIncomplete());
        const bases: A.Expr[] = [];
        const argList = k.find((c) => c.name === 'ArgList');
        if (argList) {
          const inner = this.kids(argList).filter((c) => c.name !== '(' && c.name !== ')');
          for (const p of inner.length ? this.splitCommas(inner) : []) {
            if (p.length !== 1) throw this.unsupported(p[0] ?? argList, 'この基底クラスの書き方');
            bases.push(this.expr(p[0]!));
          }
          if (bases.length > 1) throw this.unsupported(argList, '多重継承');
        }
        const bodyNode = k.find((c) => c.name === 'Body');
        if (!bodyNode) throw this.fail(n, msg.syntaxIncomplete());
        const savedLoop = this.loopDepth;
        const savedFn = this.fnDepth;
        this.loopDepth = 0;
        this.fnDepth = 0;
        const body = this.body(bodyNode);
        this.loopDepth = savedLoop;
        this.fnDepth = savedFn;
        return { type: 'ClassDef', span, name: this.ident(nameNode), bases, body };
      }
      case 'TryStatement': {
        let body: A.Stmt[] | null = null;
        const handlers: A.ExceptHandler[] = [];
        let orelse: A.Stmt[] = [];
        let finalbody: A.Stmt[] = [];
        let i = 0;
        while (i < k.length) {
          const kw = k[i]!;
          if (kw.name === 'try') {
            body = this.body(this.need(k[i + 1], n));
            i += 2;
          } else if (kw.name === 'except') {
            let j = i + 1;
            let types: A.Expr | null = null;
            let name: string | null = null;
            if (k[j] && k[j]!.name !== 'Body' && k[j]!.name !== 'as') types = this.expr(k[j++]!);
            if (k[j]?.name === 'as') {
              const nm = this.need(k[j + 1], n);
              if (nm.name !== 'VariableName' || !types) throw this.errorAt(nm);
              name = this.ident(nm);
              j += 2;
            }
            const bodyNode = this.need(k[j], n);
            if (bodyNode.name === '*') throw this.unsupported(bodyNode, 'except*');
            handlers.push({ span: { from: kw.from, to: bodyNode.to }, types, name, body: this.body(bodyNode) });
            i = j + 1;
          } else if (kw.name === 'else') {
            orelse = this.body(this.need(k[i + 1], n));
            i += 2;
          } else if (kw.name === 'finally') {
            finalbody = this.body(this.need(k[i + 1], n));
            i += 2;
          } else throw this.fail(kw, msg.syntaxUnexpected(this.text(kw)));
        }
        if (!body || (handlers.length === 0 && finalbody.length === 0)) throw this.fail(n, msg.syntaxIncomplete());
        handlers.forEach((h, hi) => {
          if (!h.types && hi !== handlers.length - 1) throw this.fail(h.span, msg.syntax("何も指定しない 'except:' は最後に書いてください"));
        });
        return { type: 'Try', span, body, handlers, orelse, finalbody };
      }
      case 'RaiseStatement': {
        const fromIdx = k.findIndex((c) => c.name === 'from');
        const excNodes = k.slice(1, fromIdx < 0 ? k.length : fromIdx);
        return { type: 'Raise', span, exc: excNodes.length ? this.exprList(excNodes) : null };
      }
      case 'WithStatement':
        throw this.unsupported(n, 'with');
      case 'DecoratedStatement':
        throw this.unsupported(n, 'デコレータ (@)');
      default:
        if (n.type.isError) throw this.errorAt(n);
        throw this.unsupported(n, this.text(n).split('\n')[0]!.slice(0, 30));
    }
  }

  need(n: SyntaxNode | undefined, parent: SyntaxNode): SyntaxNode {
    if (!n) throw this.fail({ from: parent.to, to: parent.to }, msg.syntaxIncomplete());
    return n;
  }

  errorAt(n: SyntaxNode): PyError {
    if (n.from >= this.src.trimEnd().length) return this.fail({ from: n.from, to: n.from }, msg.syntaxIncomplete());
    const text = this.src.slice(n.from, Math.max(n.to, n.from + 1)).split('\n')[0]!.slice(0, 20);
    return this.fail(n, msg.syntaxUnexpected(`'${text}'`));
  }

  params(n: SyntaxNode): A.Param[] {
    const out: A.Param[] = [];
    const parts = this.splitCommas(this.kids(n).filter((c) => c.name !== '(' && c.name !== ')'));
    let sawStar = false;
    let sawDstar = false;
    let bareStar: SyntaxNode | null = null;
    for (const p of parts) {
      const items = p.filter((c) => c.name !== 'TypeDef');
      if (items.length === 0) continue;
      if (sawDstar) throw this.fail(items[0]!, msg.syntax('**引数の後に引数は書けません'));
      let star = false;
      let dstar = false;
      let i = 0;
      if (items[0]!.name === '*') {
        star = true;
        i = 1;
        if (items.length === 1) {
          // a bare `*`: the parameters after it are keyword-only
          if (sawStar) throw this.unsupported(items[0]!, '*引数の重複');
          sawStar = true;
          bareStar = items[0]!;
          continue;
        }
      } else if (items[0]!.name === '**') {
        dstar = true;
        i = 1;
      } else if (items[0]!.name === '/') throw this.unsupported(items[0]!, this.text(items[0]!));
      const nameNode = items[i];
      if (!nameNode || nameNode.name !== 'VariableName') throw this.unsupported(items[0]!, 'この引数の書き方');
      const name = this.ident(nameNode);
      let def: A.Expr | null = null;
      if (items[i + 1]?.name === 'AssignOp') def = this.exprList(items.slice(i + 2));
      if ((star || dstar) && def) throw this.fail(nameNode, msg.syntax('* や ** の引数にデフォルト値は書けません'));
      if (star && sawStar) throw this.unsupported(items[0]!, '*引数の重複');
      const kwonly = sawStar && !star && !dstar;
      if (star) sawStar = true;
      if (dstar) sawDstar = true;
      if (!star && !dstar && !kwonly && !def && out.some((x) => x.default && !x.star && !x.kwonly)) {
        throw this.fail(nameNode, msg.syntax('デフォルト値のない引数はデフォルト値のある引数の後に書けません'));
      }
      if (out.some((x) => x.name === name)) throw this.fail(nameNode, msg.syntax(`引数 '${name}' が重複しています`));
      const param: A.Param = { name, default: def, star };
      if (dstar) param.dstar = true;
      if (kwonly) param.kwonly = true;
      out.push(param);
    }
    if (bareStar && !out.some((x) => x.kwonly)) throw this.fail(bareStar, msg.syntax('* の後にはキーワード専用の引数が必要です'));
    return out;
  }

  splitCommas(nodes: SyntaxNode[]): SyntaxNode[][] {
    const out: SyntaxNode[][] = [[]];
    for (const c of nodes) {
      if (c.name === ',') out.push([]);
      else out[out.length - 1]!.push(c);
    }
    if (out.length > 1 && out[out.length - 1]!.length === 0) out.pop();
    return out;
  }

  /** A comma-separated list of expressions: a single expression, or a tuple when a comma is present. */
  exprList(nodes: SyntaxNode[]): A.Expr {
    if (nodes.length === 0) throw new PyError('SyntaxError', msg.syntaxIncomplete(), { from: this.src.length, to: this.src.length });
    const hasComma = nodes.some((c) => c.name === ',');
    if (!hasComma) {
      if (nodes.length !== 1) throw this.errorAt(nodes[1]!);
      return this.expr(nodes[0]!);
    }
    const parts = this.splitCommas(nodes);
    const elts = parts.map((p) => {
      if (p.length === 0) throw this.fail(nodes[0]!, msg.syntaxUnexpected("','"));
      if (p[0]!.name === '*' && p.length === 2) return { type: 'Starred', span: { from: p[0]!.from, to: p[1]!.to }, value: this.expr(p[1]!) } as A.Expr;
      if (p.length !== 1) throw this.errorAt(p[1]!);
      return this.expr(p[0]!);
    });
    return { type: 'Tuple', span: { from: nodes[0]!.from, to: nodes[nodes.length - 1]!.to }, elts };
  }

  target(e: A.Expr): A.Expr {
    switch (e.type) {
      case 'Name':
      case 'Attribute':
      case 'Subscript':
        return e;
      case 'Tuple':
      case 'List':
        for (const x of e.elts) {
          if (x.type === 'Starred') this.target(x.value);
          else this.target(x);
        }
        if (e.elts.filter((x) => x.type === 'Starred').length > 1) throw new PyError('SyntaxError', msg.syntax('* 付きの代入先は 1 つだけです'), e.span);
        return e;
      default:
        throw new PyError('SyntaxError', msg.badAssignTarget(), e.span);
    }
  }

  // ---------- expressions ----------

  expr(n: SyntaxNode): A.Expr {
    const span = this.span(n);
    if (n.type.isError) throw this.errorAt(n);
    switch (n.name) {
      case 'VariableName':
        return { type: 'Name', span, id: this.ident(n) };
      case 'Number':
        return { type: 'Const', span, value: this.number(n) };
      case 'Boolean':
        return { type: 'Const', span, value: { kind: 'bool', v: this.text(n) === 'True' } };
      case 'None':
        return { type: 'Const', span, value: { kind: 'none' } };
      case 'Ellipsis':
        return { type: 'Const', span, value: { kind: 'ellipsis' } };
      case 'String':
        return { type: 'Const', span, value: { kind: 'str', v: this.string(n) } };
      case 'ContinuedString': {
        const parts = this.kids(n).map((c) => (c.name === 'FormatString' ? this.fstring(c) : { type: 'Const' as const, span: this.span(c), value: { kind: 'str' as const, v: this.string(c) } }));
        if (parts.every((p) => p.type === 'Const')) {
          return { type: 'Const', span, value: { kind: 'str', v: parts.map((p) => (p.type === 'Const' && p.value.kind === 'str' ? p.value.v : '')).join('') } };
        }
        const all: A.FStringExpr['parts'] = [];
        for (const p of parts) {
          if (p.type === 'Const' && p.value.kind === 'str') all.push(p.value.v);
          else if (p.type === 'FString') all.push(...p.parts);
        }
        return { type: 'FString', span, parts: all };
      }
      case 'FormatString':
        return this.fstring(n);
      case 'ParenthesizedExpression': {
        const k = this.kids(n).filter((c) => c.name !== '(' && c.name !== ')');
        if (k.length !== 1) throw this.fail(n, msg.syntaxIncomplete());
        return this.expr(k[0]!);
      }
      case 'TupleExpression': {
        const k = this.kids(n).filter((c) => c.name !== '(' && c.name !== ')');
        return { type: 'Tuple', span, elts: k.length === 0 ? [] : this.elements(k) };
      }
      case 'ArrayExpression': {
        const k = this.kids(n).filter((c) => c.name !== '[' && c.name !== ']');
        return { type: 'List', span, elts: k.length === 0 ? [] : this.elements(k) };
      }
      case 'DictionaryExpression': {
        const k = this.kids(n).filter((c) => c.name !== '{' && c.name !== '}');
        const keys: A.Expr[] = [];
        const values: A.Expr[] = [];
        for (const p of k.length ? this.splitCommas(k) : []) {
          if (p.length !== 3 || p[1]!.name !== ':') throw this.unsupported(p[0] ?? n, 'この辞書の書き方');
          keys.push(this.expr(p[0]!));
          values.push(this.expr(p[2]!));
        }
        return { type: 'Dict', span, keys, values };
      }
      case 'SetExpression': {
        const k = this.kids(n).filter((c) => c.name !== '{' && c.name !== '}');
        return { type: 'Set', span, elts: this.elements(k) };
      }
      case 'SetComprehensionExpression': {
        const k = this.kids(n).slice(1, -1);
        if (k[1]?.name !== 'for') throw this.fail(n, msg.syntaxIncomplete());
        return { type: 'SetComp', span, elt: this.expr(k[0]!), generators: this.comprehension(k.slice(1), n) };
      }
      case 'ArrayComprehensionExpression':
      case 'ComprehensionExpression': {
        const k = this.kids(n).slice(1, -1);
        const forIdx = k.findIndex((c) => c.name === 'for');
        if (forIdx !== 1) throw this.fail(n, msg.syntaxIncomplete());
        return {
          type: n.name === 'ArrayComprehensionExpression' ? 'ListComp' : 'GeneratorExp',
          span,
          elt: this.expr(k[0]!),
          generators: this.comprehension(k.slice(1), n),
        };
      }
      case 'DictionaryComprehensionExpression': {
        const k = this.kids(n).slice(1, -1);
        if (k[1]?.name !== ':' || k[3]?.name !== 'for') throw this.fail(n, msg.syntaxIncomplete());
        return { type: 'DictComp', span, key: this.expr(k[0]!), value: this.expr(k[2]!), generators: this.comprehension(k.slice(3), n) };
      }
      case 'MemberExpression': {
        const k = this.kids(n);
        if (isTrailingDotFloat(n)) return { type: 'Const', span, value: { kind: 'float', v: Number(this.text(k[0]!).replace(/_/g, '')) } };
        const obj = this.expr(this.need(k[0], n));
        if (k[1]?.name === '.') {
          const prop = this.need(k[2], n);
          if (prop.name !== 'PropertyName') throw this.errorAt(prop);
          return { type: 'Attribute', span, value: obj, attr: this.ident(prop), attrSpan: this.span(prop) };
        }
        if (k[1]?.name !== '[' || k[k.length - 1]?.name !== ']') throw this.fail(n, msg.syntaxIncomplete());
        const inner = k.slice(2, -1);
        if (inner.length === 0) throw this.fail(n, msg.syntax('添字が空です'));
        const parts = this.splitCommas(inner);
        const tuple = inner.some((c) => c.name === ',');
        return { type: 'Subscript', span, value: obj, items: parts.map((p) => this.sliceItem(p, n)), tuple };
      }
      case 'CallExpression': {
        const k = this.kids(n);
        const func = this.expr(this.need(k[0], n));
        const argList = this.need(k[1], n);
        const inner = this.kids(argList).filter((c) => c.name !== '(' && c.name !== ')');
        const args: A.Expr[] = [];
        const keywords: A.Keyword[] = [];
        if (inner.some((c) => c.name === 'for')) {
          // f(x for x in y): a generator expression as the only argument
          const forIdx = inner.findIndex((c) => c.name === 'for');
          if (forIdx !== 1) throw this.fail(argList, msg.syntaxIncomplete());
          args.push({ type: 'GeneratorExp', span: this.span(argList), elt: this.expr(inner[0]!), generators: this.comprehension(inner.slice(1), argList) });
          return { type: 'Call', span, func, args, keywords };
        }
        for (const p of inner.length ? this.splitCommas(inner) : []) {
          if (p.length === 0) throw this.fail(argList, msg.syntaxUnexpected("','"));
          if (p[1]?.name === 'AssignOp') {
            if (p[0]!.name !== 'VariableName' || p.length !== 3) throw this.errorAt(p[0]!);
            const name = this.ident(p[0]!);
            if (keywords.some((kw) => kw.name !== null && kw.name === name)) throw this.fail(p[0]!, msg.syntax(`キーワード引数 '${name}' が重複しています`));
            keywords.push({ name, value: this.expr(p[2]!) });
          } else if (p[0]!.name === '*') {
            if (p.length !== 2) throw this.errorAt(p[0]!);
            args.push({ type: 'Starred', span: { from: p[0]!.from, to: p[1]!.to }, value: this.expr(p[1]!) });
          } else if (p[0]!.name === '**') {
            if (p.length !== 2) throw this.errorAt(p[0]!);
            keywords.push({ name: null, value: this.expr(p[1]!) });
          } else {
            if (p.length !== 1) throw this.errorAt(p[1]!);
            if (keywords.length) throw this.fail(p[0]!, msg.syntax('位置引数はキーワード引数の後に書けません'));
            args.push(this.expr(p[0]!));
          }
        }
        return { type: 'Call', span, func, args, keywords };
      }
      case 'UnaryExpression': {
        const k = this.kids(n);
        const opText = this.text(this.need(k[0], n));
        // @lezer/python reads `not a or b` as `not (a or b)`; Python's `not` binds tighter than and / or
        if (opText === 'not' && this.notOverChain(this.need(k[1], n))) return this.boolChain(n);
        const operand = this.expr(this.need(k[1], n));
        if (opText === '-' || opText === '+' || opText === '~' || opText === 'not') return { type: 'Unary', span, op: opText, operand };
        throw this.unsupported(n, opText);
      }
      case 'BinaryExpression': {
        const k = this.kids(n);
        if (k.length < 3) throw this.fail(n, msg.syntaxIncomplete());
        const leftNode = k[0]!;
        const rightNode = k[k.length - 1]!;
        const opText = k
          .slice(1, -1)
          .map((c) => this.text(c))
          .join(' ');
        const left = this.expr(leftNode);
        const right = this.expr(rightNode);
        if (opText === 'and' || opText === 'or') return this.boolChain(n);
        const cmp = COMPARE_OPS[opText];
        if (cmp) {
          // 1 < x <= 5 arrives as ((1 < x) <= 5): flatten unparenthesized chains
          if (left.type === 'Compare' && leftNode.name === 'BinaryExpression') {
            return { type: 'Compare', span, left: left.left, ops: [...left.ops, cmp], comparators: [...left.comparators, right] };
          }
          return { type: 'Compare', span, left, ops: [cmp], comparators: [right] };
        }
        const op = BINARY_OPS[opText];
        if (!op) throw this.unsupported(k[1]!, opText);
        return { type: 'Binary', span, op, left, right };
      }
      case 'ConditionalExpression': {
        const k = this.kids(n);
        if (k.length !== 5) throw this.fail(n, msg.syntaxIncomplete());
        return { type: 'IfExp', span, body: this.expr(k[0]!), test: this.expr(k[2]!), orelse: this.expr(k[4]!) };
      }
      case 'LambdaExpression': {
        const k = this.kids(n);
        const paramNode = k.find((c) => c.name === 'ParamList');
        const body = k[k.length - 1]!;
        if (body.name === ':' || body.name === 'lambda') throw this.fail(n, msg.syntaxIncomplete());
        return { type: 'Lambda', span, params: paramNode ? this.params(paramNode) : [], body: this.expr(body) };
      }
      case 'YieldExpression':
        throw this.unsupported(n, 'yield');
      case 'AwaitExpression':
        throw this.unsupported(n, 'await');
      case 'NamedExpression':
        throw this.unsupported(n, ':=');
      default:
        throw this.unsupported(n, this.text(n).slice(0, 30) || n.name);
    }
  }

  /** An and / or chain, possibly under more `not`s. */
  notOverChain(n: SyntaxNode): boolean {
    if (this.boolOpParts(n)) return true;
    if (n.name !== 'UnaryExpression') return false;
    const k = this.kids(n);
    return k.length === 2 && this.text(k[0]!) === 'not' && this.notOverChain(k[1]!);
  }

  /** [left, op, right] of an unparenthesized `x and y` / `x or y`, else null. */
  boolOpParts(n: SyntaxNode): [SyntaxNode, 'and' | 'or', SyntaxNode] | null {
    if (n.name !== 'BinaryExpression') return null;
    const k = this.kids(n);
    if (k.length !== 3) return null;
    const op = this.text(k[1]!);
    return op === 'and' || op === 'or' ? [k[0]!, op, k[2]!] : null;
  }

  /**
   * An and / or chain, rebuilt with Python's precedence (not > and > or, left to right). @lezer/python nests a
   * `not` over everything to its right (`not a and not b or c` arrives as `not (a and not (b or c))`), so the
   * chain is flattened into operands and operators, each `not` applied to the operand it starts with.
   */
  boolChain(n: SyntaxNode): A.Expr {
    const items: (A.Expr | 'and' | 'or')[] = [];
    const flatten = (node: SyntaxNode): void => {
      const parts = this.boolOpParts(node);
      if (parts) {
        flatten(parts[0]);
        items.push(parts[1]);
        flatten(parts[2]);
        return;
      }
      if (node.name === 'UnaryExpression') {
        const k = this.kids(node);
        if (k.length === 2 && this.text(k[0]!) === 'not' && this.notOverChain(k[1]!)) {
          const start = items.length;
          flatten(k[1]!);
          const first = items[start] as A.Expr;
          items[start] = { type: 'Unary', span: { from: node.from, to: first.span.to }, op: 'not', operand: first };
          return;
        }
      }
      items.push(this.expr(node));
    };
    flatten(n);
    const join = (op: 'and' | 'or', xs: A.Expr[]): A.Expr =>
      xs.reduce((left, right) => ({ type: 'BoolOp', span: { from: left.span.from, to: right.span.to }, op, left, right }));
    const ors: A.Expr[] = [];
    let ands: A.Expr[] = [];
    for (const it of items) {
      if (it === 'or') {
        ors.push(join('and', ands));
        ands = [];
      } else if (it !== 'and') ands.push(it);
    }
    ors.push(join('and', ands));
    return join('or', ors);
  }

  elements(k: SyntaxNode[]): A.Expr[] {
    return this.splitCommas(k).map((p) => {
      if (p[0]?.name === '*' && p.length === 2) return { type: 'Starred', span: { from: p[0].from, to: p[1]!.to }, value: this.expr(p[1]!) };
      if (p.length !== 1) throw this.errorAt(p[1] ?? p[0]!);
      return this.expr(p[0]!);
    });
  }

  sliceItem(p: SyntaxNode[], parent: SyntaxNode): A.Expr {
    if (p.length === 0) throw this.fail(parent, msg.syntaxUnexpected("','"));
    if (!p.some((c) => c.name === ':')) {
      if (p.length !== 1) throw this.errorAt(p[1]!);
      return this.expr(p[0]!);
    }
    const parts: (SyntaxNode | null)[] = [null];
    for (const c of p) {
      if (c.name === ':') parts.push(null);
      else if (parts[parts.length - 1] !== null) throw this.errorAt(c);
      else parts[parts.length - 1] = c;
    }
    if (parts.length > 3) throw this.fail(p[0]!, msg.syntaxUnexpected("':'"));
    const e = (x: SyntaxNode | null | undefined): A.Expr | null => (x ? this.expr(x) : null);
    return { type: 'Slice', span: { from: p[0]!.from, to: p[p.length - 1]!.to }, lower: e(parts[0]), upper: e(parts[1]), step: e(parts[2]) };
  }

  comprehension(k: SyntaxNode[], parent: SyntaxNode): A.Comprehension[] {
    // k starts with `for`: (for targets in iter (if cond)*)+
    const out: A.Comprehension[] = [];
    let i = 0;
    while (i < k.length) {
      if (k[i]!.name !== 'for') throw this.errorAt(k[i]!);
      const inIdx = k.findIndex((c, j) => j > i && c.name === 'in');
      if (inIdx < 0) throw this.fail(parent, msg.syntaxIncomplete());
      const target = this.target(this.exprList(k.slice(i + 1, inIdx)));
      const iterNode = this.need(k[inIdx + 1], parent);
      const iter = this.expr(iterNode);
      i = inIdx + 2;
      const ifs: A.Expr[] = [];
      while (k[i]?.name === 'if') {
        ifs.push(this.expr(this.need(k[i + 1], parent)));
        i += 2;
      }
      out.push({ target, iter, ifs });
    }
    return out;
  }

  number(n: SyntaxNode): { kind: 'int' | 'float'; v: number } {
    const raw = this.text(n).replace(/_/g, '');
    if (/[jJ]$/.test(raw)) throw this.unsupported(n, '複素数');
    let v: number;
    if (/^0[xX]/.test(raw)) v = parseInt(raw.slice(2), 16);
    else if (/^0[oO]/.test(raw)) v = parseInt(raw.slice(2), 8);
    else if (/^0[bB]/.test(raw)) v = parseInt(raw.slice(2), 2);
    else if (/[.eE]/.test(raw)) return { kind: 'float', v: Number(raw) };
    else v = Number(raw);
    // an int literal past 2**53 - 1 would silently be rounded
    if (!Number.isSafeInteger(v)) throw new PyError('OverflowError', msg.intOverflow(), this.span(n));
    return { kind: 'int', v };
  }

  /** Decode a (non-f) string literal with its prefix and quotes. */
  string(n: SyntaxNode): string {
    const raw = this.text(n);
    const m = /^([a-zA-Z]*)('''|"""|'|")/.exec(raw);
    if (!m) throw this.fail(n, msg.syntaxIncomplete());
    const prefix = m[1]!.toLowerCase();
    const quote = m[2]!;
    if (!raw.endsWith(quote) || raw.length < prefix.length + quote.length * 2) throw this.fail(n, msg.syntaxIncomplete());
    const body = raw.slice(prefix.length + quote.length, raw.length - quote.length);
    if (prefix.includes('f')) throw this.fail(n, msg.syntaxIncomplete());
    return prefix.includes('r') ? body : unescape(body);
  }

  fstring(n: SyntaxNode): A.FStringExpr {
    const raw = this.text(n);
    const m = /^([a-zA-Z]*)('''|"""|'|")/.exec(raw);
    if (!m) throw this.fail(n, msg.syntaxIncomplete());
    const start = n.from + m[0].length;
    const end = n.to - m[2]!.length;
    const isRaw = m[1]!.toLowerCase().includes('r');
    const parts: A.FStringExpr['parts'] = [];
    let pos = start;
    const literal = (from: number, to: number): void => {
      if (to <= from) return;
      const s = this.src.slice(from, to).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
      parts.push(isRaw ? s : unescape(s));
    };
    for (const r of this.kids(n)) {
      if (r.name !== 'FormatReplacement') continue;
      literal(pos, r.from);
      const k = this.kids(r).filter((c) => c.name !== '{' && c.name !== '}');
      const exprNode = k[0];
      if (!exprNode || exprNode.name === 'FormatSpec') throw this.fail(r, msg.syntax('f 文字列の {} の中が空です'));
      const conv = k.find((c) => c.name === 'FormatConversion');
      const specNode = k.find((c) => c.name === 'FormatSpec');
      const spec = specNode ? this.src.slice(specNode.from + 1, r.to - 1) : '';
      parts.push({ expr: this.expr(exprNode), conversion: conv ? this.text(conv).slice(1) : null, spec });
      pos = r.to;
    }
    literal(pos, end);
    return { type: 'FString', span: this.span(n), parts };
  }
}

const BINARY_OPS: Record<string, A.BinaryOp | undefined> = Object.assign(Object.create(null) as Record<string, A.BinaryOp>, {
  '+': '+',
  '-': '-',
  '*': '*',
  '/': '/',
  '//': '//',
  '%': '%',
  '**': '**',
  '@': '@',
  '&': '&',
  '|': '|',
  '^': '^',
  '<<': '<<',
  '>>': '>>',
});

const COMPARE_OPS: Record<string, A.CompareOp | undefined> = Object.assign(Object.create(null) as Record<string, A.CompareOp>, {
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '==': '==',
  '!=': '!=',
  in: 'in',
  'not in': 'not in',
  is: 'is',
  'is not': 'is not',
});

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\s\S])/g, (all, e: string) => {
    if (e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    return SIMPLE_ESCAPES[e] ?? all;
  });
}

/** Names bound in a function body (not descending into nested functions). */
function collectLocals(body: A.Stmt[], locals: Set<string>, globals: Set<string>): void {
  const addTarget = (e: A.Expr): void => {
    if (e.type === 'Name') locals.add(e.id);
    else if (e.type === 'Tuple' || e.type === 'List') e.elts.forEach(addTarget);
    else if (e.type === 'Starred') addTarget(e.value);
  };
  for (const s of body) {
    switch (s.type) {
      case 'Assign':
        s.targets.forEach(addTarget);
        break;
      case 'AugAssign':
        addTarget(s.target);
        break;
      case 'For':
        addTarget(s.target);
        collectLocals(s.body, locals, globals);
        collectLocals(s.orelse, locals, globals);
        break;
      case 'While':
        collectLocals(s.body, locals, globals);
        collectLocals(s.orelse, locals, globals);
        break;
      case 'If':
        collectLocals(s.body, locals, globals);
        collectLocals(s.orelse, locals, globals);
        break;
      case 'FunctionDef':
      case 'ClassDef':
        locals.add(s.name);
        break;
      case 'Try':
        collectLocals(s.body, locals, globals);
        for (const h of s.handlers) {
          if (h.name) locals.add(h.name);
          collectLocals(h.body, locals, globals);
        }
        collectLocals(s.orelse, locals, globals);
        collectLocals(s.finalbody, locals, globals);
        break;
      case 'Global':
        s.names.forEach((x) => globals.add(x));
        break;
      case 'Import':
        for (const b of s.binds ?? []) locals.add(b.name);
        break;
      case 'Delete':
        s.targets.forEach(addTarget);
        break;
      default:
        break;
    }
  }
}

/**
 * `1.` (a float written with a trailing dot, as in `np.array([1., 2.])`) is valid Python, but @lezer/python reads it
 * as the start of an attribute access on `1` with the name missing. Recognise that shape: Number, '.', then an empty
 * error node or nothing.
 */
function isTrailingDotFloat(member: SyntaxNode): boolean {
  const first = member.firstChild;
  const dot = first?.nextSibling;
  if (first?.name !== 'Number' || dot?.name !== '.' || dot.from !== first.to) return false;
  const rest = dot.nextSibling;
  return !rest || (rest.type.isError && rest.from === rest.to);
}

function firstError(top: SyntaxNode): SyntaxNode | null {
  let found: SyntaxNode | null = null;
  const cursor = top.cursor();
  do {
    if (cursor.type.isError) {
      const node = cursor.node;
      if (node.parent?.name === 'MemberExpression' && isTrailingDotFloat(node.parent)) continue;
      found = node;
      break;
    }
  } while (cursor.next());
  return found;
}

/** Parse source into a Program, or throw a PyError (SyntaxError) with the position. */
export function parse(source: string): A.Program {
  const tree = parser.parse(source);
  const top = tree.topNode;
  const p = new Parser(source);
  const err = firstError(top);
  if (err) throw p.errorAt(err);
  try {
    return p.program(top);
  } catch (e) {
    if (e instanceof RangeError) throw new PyError('RecursionError', msg.syntax('式の入れ子が深すぎます'), { from: 0, to: 0 });
    throw e;
  }
}

/** LRU cache of parsed programs keyed by source (parse errors are cached too). */
export class ParseCache {
  private readonly map = new Map<string, A.Program | PyError>();
  constructor(private readonly capacity = 256) {}
  get(source: string): A.Program {
    let hit = this.map.get(source);
    if (hit !== undefined) {
      this.map.delete(source);
      this.map.set(source, hit);
    } else {
      try {
        hit = parse(source);
      } catch (e) {
        if (!(e instanceof PyError)) throw e;
        hit = e;
      }
      this.map.set(source, hit);
      if (this.map.size > this.capacity) {
        const oldest = this.map.keys().next();
        if (!oldest.done) this.map.delete(oldest.value);
      }
    }
    if (hit instanceof PyError) throw new PyError(hit.type, hit.pyMessage, hit.span, hit.limit);
    return hit;
  }
}

/** 1-based line and column of an offset. */
export function lineCol(source: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, source.length);
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: end - lineStart + 1 };
}
