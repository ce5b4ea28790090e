import { NULL_REF, type Ref } from '@heaplab/core';
import type { Code } from '../compiler/code.js';
import { reprString } from '../strings.js';
import { lookupType, userMethod } from './attrs.js';
import { exceptionRepr, exceptionStr } from './exceptions.js';
import { type PyType, raise } from './pytype.js';
import type { FunctionData, Runtime } from './runtime.js';
import { dictEntries } from './tables.js';

/** `hex(id(obj))`-style address text. */
export function addr(rt: Runtime, ref: Ref): string {
  return `0x${rt.id(ref).toString(16)}`;
}

/** CPython's `repr` of a float. */
export function reprFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (exp >= -5 + 1 && exp < 16) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      const frac = digits.slice(exp + 1) || '0';
      out = `${intPart}.${frac}`;
    } else out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    out = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return neg ? `-${out}` : out;
}

/** `repr(v)`. */
export function pyRepr(rt: Runtime, v: Ref, seen: Set<Ref> = new Set(), asBase = false): string {
  const heap = rt.heap;
  const t = rt.typeOf(v);
  if (t.user && t.kind !== 'instance' && !asBase) {
    const f = userMethod(rt, t, '__repr__');
    if (f) return callText(rt, f, v, '__repr__');
  }
  switch (t.kind) {
    case 'int':
      return String(rt.pl<number | bigint>(v));
    case 'bool':
      return rt.pl<number>(v) ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'float':
      return reprFloat(rt.pl<number>(v));
    case 'str':
      return reprString(rt.pl<string>(v));
    case 'singleton':
      return rt.pl<string>(v);
    case 'tuple': {
      if (seen.has(v)) return '(...)';
      if (heap.length(v)) rt.reprEnter();
      seen.add(v);
      const items = heap.referents(v).map((x) => pyRepr(rt, x, seen));
      seen.delete(v);
      return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    }
    case 'list': {
      if (seen.has(v)) return '[...]';
      if (heap.length(v)) rt.reprEnter();
      seen.add(v);
      const items = heap.referents(v).map((x) => pyRepr(rt, x, seen));
      seen.delete(v);
      return `[${items.join(', ')}]`;
    }
    case 'dict': {
      if (seen.has(v)) return '{...}';
      rt.reprEnter(); // even for an empty dict, as CPython's dict repr does
      seen.add(v);
      const items = dictEntries(rt, v).map(([k, x]) => `${pyRepr(rt, k, seen)}: ${pyRepr(rt, x, seen)}`);
      seen.delete(v);
      return `{${items.join(', ')}}`;
    }
    case 'set':
    case 'frozenset': {
      const members = rt.setOrder(v);
      // CPython enters its repr state even for an empty set, then lists the members (a temporary list).
      rt.reprEnter();
      if (members.length && rt.profile === 'cpython-3.11') rt.newList(members);
      const items = members.map((x) => pyRepr(rt, x, seen));
      if (members.length && rt.profile === 'cpython-3.11') rt.pop();
      if (t.kind === 'set') return items.length ? `{${items.join(', ')}}` : 'set()';
      return items.length ? `frozenset({${items.join(', ')}})` : 'frozenset()';
    }
    case 'function':
      return `<function ${rt.pl<FunctionData>(v).qualname} at ${addr(rt, v)}>`;
    case 'builtin': {
      const self = heap.get(v, 0);
      const name = rt.pl<{ name: string }>(v).name;
      if (self === NULL_REF || rt.kindOf(self) === 'module') return `<built-in function ${name}>`;
      return `<built-in method ${name} of ${rt.typeOf(self).name} object at ${addr(rt, self)}>`;
    }
    case 'descriptor': {
      const p = rt.pl<{ name: string; owner: PyType }>(v);
      return `<method '${p.name}' of '${p.owner.name}' objects>`;
    }
    case 'method': {
      const fn = heap.get(v, 0);
      const self = heap.get(v, 1);
      return `<bound method ${rt.pl<FunctionData>(fn).qualname} of ${pyRepr(rt, self, seen)}>`;
    }
    case 'type':
      return `<class '${rt.pl<PyType>(v).qualName}'>`;
    case 'module':
      return `<module '${rt.moduleName(v)}' (built-in)>`;
    case 'weakref': {
      const target = heap.weakTarget(v);
      if (target === NULL_REF) return `<weakref at ${addr(rt, v)}; dead>`;
      const tt = rt.typeOf(target);
      const name = rt.profile === 'cpython-3.11' || tt.module === 'builtins' ? tt.name : tt.name;
      return `<weakref at ${addr(rt, v)}; to '${name}' at ${addr(rt, target)}>`;
    }
    case 'proxy': {
      const target = heap.weakTarget(v);
      if (target === NULL_REF) return `<weakproxy at ${addr(rt, v)}; dead>`;
      return `<weakproxy at ${addr(rt, v)} to ${rt.typeOf(target).name} at ${addr(rt, target)}>`;
    }
    case 'generator':
      return `<generator object ${rt.pl<{ qualname: string }>(v).qualname} at ${addr(rt, v)}>`;
    case 'cell': {
      const c = heap.get(v, 0);
      if (c === NULL_REF) return `<cell at ${addr(rt, v)}: empty>`;
      return `<cell at ${addr(rt, v)}: ${rt.typeOf(c).name} object at ${addr(rt, c)}>`;
    }
    case 'range': {
      const r = rt.pl<{ start: number; stop: number; step: number }>(v);
      return r.step === 1 ? `range(${r.start}, ${r.stop})` : `range(${r.start}, ${r.stop}, ${r.step})`;
    }
    case 'slice':
      return `slice(${[0, 1, 2].map((k) => pyRepr(rt, heap.get(v, k), seen)).join(', ')})`;
    case 'iterator':
      return `<${iteratorName(rt, v)} object at ${addr(rt, v)}>`;
    case 'property':
      return `<property object at ${addr(rt, v)}>`;
    case 'staticmethod':
    case 'classmethod':
      return `<${t.kind} object at ${addr(rt, v)}>`;
    case 'object':
      return `<object object at ${addr(rt, v)}>`;
    default:
      break;
  }
  if (t.user) {
    const f = userMethod(rt, t, '__repr__');
    if (f) return callText(rt, f, v, '__repr__');
    if (rt.isExceptionType(t)) return exceptionRepr(rt, v);
  }
  if (t.kind === 'instance' && rt.isExceptionType(t)) return exceptionRepr(rt, v);
  if (v === rt.NULL_MARK) return '<NULL>';
  return `<${t.qualName} object at ${addr(rt, v)}>`;
}

function iteratorName(rt: Runtime, v: Ref): string {
  if (rt.heap.tables.type(v & 0xffffff) === rt.ht.plainIterator) return 'range_iterator';
  const kind = rt.pl<{ kind: string }>(v).kind;
  const src = rt.heap.length(v) ? rt.heap.get(v, 0) : NULL_REF;
  const names: Record<string, string> = {
    keys: 'dict_keyiterator',
    values: 'dict_valueiterator',
    items: 'dict_itemiterator',
    set: 'set_iterator',
    str: 'str_ascii_iterator',
    enumerate: 'enumerate',
    zip: 'zip',
    map: 'map',
    filter: 'filter',
    reversed: 'list_reverseiterator',
    callable: 'callable_iterator',
  };
  if (kind === 'seq')
    return src !== NULL_REF && rt.kindOf(src) === 'tuple' ? 'tuple_iterator' : 'list_iterator';
  return names[kind] ?? 'iterator';
}

function callText(rt: Runtime, f: Ref, v: Ref, what: string): string {
  const r = rt.vm.call(f, [v]);
  if (rt.kindOf(r) !== 'str') {
    raise('TypeError', `${what} returned non-string (type ${rt.typeOf(r).name})`);
  }
  const s = rt.pl<string>(r);
  rt.pop();
  return s;
}

/** `str(v)`. */
export function pyStr(rt: Runtime, v: Ref): string {
  const t = rt.typeOf(v);
  if (t.kind === 'str') return rt.pl<string>(v);
  if (t.user) {
    const f = userMethod(rt, t, '__str__');
    if (f) return callText(rt, f, v, '__str__');
    const r = userMethod(rt, t, '__repr__');
    if (r && !rt.isExceptionType(t)) return callText(rt, r, v, '__repr__');
    if (rt.isExceptionType(t)) return exceptionStr(rt, v);
  }
  if (t.kind === 'proxy') {
    const target = rt.heap.weakTarget(v);
    if (target === NULL_REF) raise('ReferenceError', 'weakly-referenced object no longer exists');
    return pyStr(rt, target);
  }
  return pyRepr(rt, v);
}

interface Spec {
  fill: string;
  align: string;
  sign: string;
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: string;
  precision: number;
  type: string;
}

function parseSpec(spec: string): Spec {
  const m = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/s.exec(spec);
  if (!m) raise('ValueError', `Invalid format specifier '${spec}'`);
  return {
    fill: m[1] ?? (m[5] && !m[2] ? '0' : ' '),
    align: m[2] ?? (m[5] ? '=' : ''),
    sign: m[3] ?? '-',
    alt: !!m[4],
    zero: !!m[5],
    width: m[6] ? Number(m[6]) : 0,
    grouping: m[7] ?? '',
    precision: m[8] !== undefined ? Number(m[8]) : -1,
    type: m[9] ?? '',
  };
}

function group(intPart: string, sep: string): string {
  if (!sep) return intPart;
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

function pad(s: string, spec: Spec, defaultAlign: string): string {
  const align = spec.align || defaultAlign;
  const n = spec.width - [...s].length;
  if (n <= 0) return s;
  if (align === '<') return s + spec.fill.repeat(n);
  if (align === '>') return spec.fill.repeat(n) + s;
  if (align === '^') return spec.fill.repeat(n >> 1) + s + spec.fill.repeat(n - (n >> 1));
  const sign = /^[+\- ]/.test(s) ? s[0] : '';
  return sign + spec.fill.repeat(n) + s.slice(sign.length);
}

function formatNumber(x: number | bigint, spec: Spec, isFloat: boolean): string {
  let type = spec.type;
  if (!type) type = isFloat ? (spec.precision >= 0 ? 'g' : 'r') : 'd';
  const neg = typeof x === 'bigint' ? x < 0n : x < 0 || Object.is(x, -0);
  const abs = typeof x === 'bigint' ? (x < 0n ? -x : x) : Math.abs(x);
  let body: string;
  switch (type) {
    case 'd':
    case 'n':
      if (isFloat) raise('ValueError', `Unknown format code 'd' for object of type 'float'`);
      body = group(String(abs), spec.grouping);
      break;
    case 'x':
    case 'X':
    case 'o':
    case 'b': {
      const radix = type === 'o' ? 8 : type === 'b' ? 2 : 16;
      body = abs.toString(radix);
      if (type === 'X') body = body.toUpperCase();
      if (spec.alt) body = `0${type}${body}`;
      break;
    }
    case 'c':
      body = String.fromCodePoint(Number(abs));
      break;
    case 'r':
      body = reprFloat(Number(abs));
      break;
    case 'f':
    case 'F':
    case '%': {
      const p = spec.precision >= 0 ? spec.precision : 6;
      const v = type === '%' ? Number(abs) * 100 : Number(abs);
      const [i, fr] = v.toFixed(p).split('.');
      body =
        group(i, spec.grouping) +
        (fr !== undefined ? `.${fr}` : spec.alt ? '.' : '') +
        (type === '%' ? '%' : '');
      break;
    }
    case 'e':
    case 'E': {
      const p = spec.precision >= 0 ? spec.precision : 6;
      body = Number(abs)
        .toExponential(p)
        .replace(/e([+-])(\d)$/, 'e$10$2');
      if (type === 'E') body = body.toUpperCase();
      break;
    }
    case 'g':
    case 'G': {
      const p = spec.precision === 0 ? 1 : spec.precision >= 0 ? spec.precision : 6;
      const v = Number(abs);
      if (v === 0) body = '0';
      else {
        const exp = Math.floor(Math.log10(v));
        const e2 = Number(v.toExponential(p - 1).split('e')[1]);
        if (e2 >= -4 && e2 < p) {
          body = v.toFixed(Math.max(0, p - 1 - e2));
          if (!spec.alt && body.includes('.')) body = body.replace(/\.?0+$/, '');
        } else {
          body = v.toExponential(p - 1);
          if (!spec.alt) body = body.replace(/\.?0+e/, 'e');
          body = body.replace(/e([+-])(\d)$/, 'e$10$2');
        }
        void exp;
      }
      if (type === 'G') body = body.toUpperCase();
      break;
    }
    default:
      raise('ValueError', `Unknown format code '${type}' for object of type '${isFloat ? 'float' : 'int'}'`);
  }
  const sign = neg ? '-' : spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '';
  return pad(sign + body, spec, '>');
}

/** `format(v, spec)` (for f-strings); `v` may be already converted text. */
export function formatValue(rt: Runtime, v: Ref | string, spec: string, converted: boolean): string {
  if (converted || typeof v === 'string') {
    const s = typeof v === 'string' ? v : pyStr(rt, v);
    if (!spec) return s;
    const p = parseSpec(spec);
    const text = p.precision >= 0 ? s.slice(0, p.precision) : s;
    return pad(text, p, '<');
  }
  const kind = rt.kindOf(v);
  if (!spec) return pyStr(rt, v);
  if (kind === 'int' || kind === 'float' || kind === 'bool') {
    const p = parseSpec(spec);
    if (kind === 'bool' && !p.type) return pad(pyStr(rt, v), p, '<');
    const isFloat = kind === 'float' || /[eEfFgG%]/.test(p.type);
    return formatNumber(isFloat ? Number(rt.pl<number | bigint>(v)) : rt.pl<number | bigint>(v), p, isFloat);
  }
  if (kind === 'str') return formatValue(rt, rt.pl<string>(v), spec, true);
  const t = rt.typeOf(v);
  const f = t.user ? lookupType(rt, t, '__format__') : 0;
  if (f) {
    rt.newStr(spec);
    const r = rt.vm.call(f, [v, rt.peek()]);
    const s = rt.strValue(r);
    rt.pop();
    rt.pop();
    return s;
  }
  return raise('TypeError', `unsupported format string passed to ${t.name}.__format__`);
}

export type { Code };
