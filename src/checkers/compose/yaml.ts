// Reads one Compose file into plain values, keeping where every key and
// sequence item was written, with limits against hostile input (size, alias
// expansion, nesting depth) and the Compose tags `!reset` and `!override`.

import { closeSync, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import yaml from 'js-yaml';
import { ComposeError } from './errors.js';
import type { ResolveLimits, SourcePosition } from './types.js';

export const DEFAULT_LIMITS: ResolveLimits = {
  maxFileBytes: 10 * 1024 * 1024,
  maxAliasCount: 10_000,
  maxDepth: 64,
  maxFiles: 1_000,
};

/** Most nodes a file may expand to once aliases are followed (billion-laughs guard). */
const MAX_EXPANDED_NODES = 500_000;

/** `!reset`: the key is removed from what earlier files (or the extended service) set. */
export class ResetTag {
  constructor(readonly pos: SourcePosition) {}
}

/** `!override`: the value replaces what earlier files set instead of merging with it. */
export class OverrideTag {
  constructor(
    readonly value: unknown,
    readonly pos: SourcePosition,
  ) {}
}


/**
 * Position of each key (mapping) or index (sequence) of a container, kept in
 * a non-enumerable symbol property so that JSON, Object.keys and deep
 * equality never see it (cheaper than a WeakMap lookup per key).
 */
const POS: unique symbol = Symbol('compose-positions');
type Positions = Record<string, SourcePosition>;

function table(container: object, create: boolean): Positions | undefined {
  const t = (container as { [POS]?: Positions })[POS];
  if (t || !create) return t;
  const fresh: Positions = Object.create(null) as Positions;
  Object.defineProperty(container, POS, { value: fresh, enumerable: false, writable: true, configurable: true });
  return fresh;
}

export function setPos(container: object, key: string | number, pos: SourcePosition | undefined): void {
  if (!pos) return;
  table(container, true)![key] = pos;
}

export function getPos(container: object, key: string | number): SourcePosition | undefined {
  return (container as { [POS]?: Positions })[POS]?.[key];
}

/** Copies every key position of `from` onto `to` (same keys). */
export function copyPositions(from: object, to: object): void {
  const t = table(from, false);
  if (!t) return;
  const dst = table(to, true)!;
  for (const k in t) dst[k] = t[k]!;
}

/** How many `!reset`/`!override` tags were ever parsed: lets tag-free models skip tag handling. */
export let tagsParsed = 0;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof ResetTag) && !(v instanceof OverrideTag);
}

/** Sets a key without letting `__proto__` reach the prototype. */
export function put(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

export interface ReadFile {
  /** Real path (symlinks resolved). */
  path: string;
  text: string;
}

/**
 * Reads a file Compose would read, refusing anything that is not a regular
 * file and anything over the size cap before reading it.
 */
export function readRegularFile(path: string, limits: ResolveLimits, what: string, from?: { file: string; line?: number; column?: number; field?: string }): ReadFile {
  const where = from ?? { file: path };
  let real: string;
  try {
    real = realpathSync(path);
  } catch (err) {
    throw new ComposeError(`${what} ${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}; check the path`, where, { cause: err });
  }
  const st = statSync(real);
  if (!st.isFile()) {
    const kind = st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a FIFO' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'not a regular file';
    throw new ComposeError(`${what} ${path} is ${kind}; name a regular file`, where);
  }
  if (st.size > limits.maxFileBytes) {
    throw new ComposeError(`${what} ${path} is ${st.size} bytes, over the ${limits.maxFileBytes}-byte limit; split it or raise the limit`, where);
  }
  // Open, re-check the opened file (it may have been swapped) and read at most cap+1 bytes.
  const fd = openSync(real, 'r');
  try {
    const fst = fstatSync(fd);
    if (!fst.isFile()) throw new ComposeError(`${what} ${path} is not a regular file; name a regular file`, where);
    const buf = Buffer.alloc(Math.min(fst.size, limits.maxFileBytes) + 1);
    let n = 0;
    for (;;) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
      if (n >= buf.length) break;
    }
    if (n > limits.maxFileBytes) {
      throw new ComposeError(`${what} ${path} is over the ${limits.maxFileBytes}-byte limit; split it or raise the limit`, where);
    }
    let text = buf.subarray(0, n).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { path: real, text };
  } finally {
    closeSync(fd);
  }
}

export interface ParsedYaml {
  /** One value per YAML document (Compose merges the documents of a file in order). */
  documents: unknown[];
  /** Position of each document's root. */
  roots: SourcePosition[];
  /** Whether any `!reset`/`!override` tag was found. */
  tagged: boolean;
}

const TAG = Symbol('compose-tag');
const TAGS = ['!reset', '!override'].flatMap((tag) =>
  (['scalar', 'sequence', 'mapping'] as const).map(
    (kind) => new yaml.Type(tag, { kind, construct: (data: unknown) => ({ [TAG]: tag, data }) }),
  ),
);
// YAML 1.2 core types plus merge keys (as Compose's yaml.v3): no timestamps, no binary.
const mergeType = (yaml as unknown as { types: { merge: yaml.Type } }).types.merge;
const SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [mergeType], explicit: TAGS });

/** One composeNode call of js-yaml, as its listener reports it. */
interface Frame {
  start: number;
  children: Frame[];
  result: unknown;
}

/**
 * Parses YAML text into plain values with positions. js-yaml builds the
 * values (it is several times faster than a CST parser); its listener's
 * open/close events give each node's start, from which key and item
 * positions are recovered.
 */
export function parseComposeYaml(file: string, text: string, limits: ResolveLimits): ParsedYaml {
  // The parser recurses on nesting, so an absurd flow depth is refused before it.
  preScanDepth(file, text, limits.maxDepth);
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const at = (offset: number): SourcePosition => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file, line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  const skip = (i: number): number => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else if (c === 35) {
        // A comment between a key and its value.
        while (i < text.length && text.charCodeAt(i) !== 10) i++;
      } else return i;
    }
  };
  const roots: Frame[] = [];
  const stack: Frame[] = [];
  let aliases = 0;
  const frameLimit = limits.maxDepth * 3 + 8;
  const listener = (type: 'open' | 'close', state: { position: number; result: unknown }): void => {
    if (type === 'open') {
      const f: Frame = { start: skip(state.position), children: [], result: undefined };
      (stack.length ? stack[stack.length - 1]!.children : roots).push(f);
      stack.push(f);
      if (stack.length > frameLimit) {
        const p = at(f.start);
        throw new ComposeError(`nesting is deeper than ${limits.maxDepth} levels; flatten the file`, { file, line: p.line, column: p.column });
      }
      if (text.charCodeAt(f.start) === 42 /* * */ && ++aliases > limits.maxAliasCount) {
        const p = at(f.start);
        throw new ComposeError(`more than ${limits.maxAliasCount} YAML alias references (alias bomb?); use fewer aliases`, { file, line: p.line, column: p.column });
      }
    } else {
      const f = stack.pop();
      if (f) f.result = state.result;
    }
  };
  let docs: unknown[];
  try {
    docs = [];
    yaml.loadAll(text, (d) => docs.push(d), { schema: SCHEMA, filename: file, json: false, listener } as yaml.LoadOptions);
  } catch (err) {
    if (err instanceof ComposeError) throw err;
    if (err instanceof RangeError) throw new ComposeError(`nesting is too deep (limit ${limits.maxDepth} levels)`, { file }, { cause: err });
    const e = err as yaml.YAMLException;
    const reason = e.reason ?? e.message;
    throw new ComposeError(`invalid YAML: ${reason}`, { file, line: e.mark ? e.mark.line + 1 : undefined, column: e.mark ? e.mark.column + 1 : undefined }, { cause: err });
  }
  // Root frames: js-yaml opens one frame per document.
  const docFrames = roots.filter((f) => docs.includes(f.result) || f.result === null || f.result === undefined);
  const keys: string[] = [];
  const tagsBefore = tagsParsed;
  const state: { nodes: number; seen: Set<object>; pos: SourcePosition | undefined } = { nodes: 0, seen: new Set<object>(), pos: undefined };
  const documents: unknown[] = [];
  const rootPos: SourcePosition[] = [];
  docs.forEach((d, i) => {
    const frame = docFrames[i] ?? roots[i];
    if (frame) assign(frame, d);
    // Aliases share objects; measure the expanded tree (memoised per object)
    // before copying anything, so an alias bomb costs nothing.
    const memo = new Map<object, number>();
    if (expandedSize(d, memo) > MAX_EXPANDED_NODES) {
      // Point at the deepest key whose value alone is over the budget.
      let node: unknown = d;
      let p = at(frame?.start ?? 0);
      const path: string[] = [];
      for (;;) {
        const entries: [string, unknown][] = Array.isArray(node) ? node.map((x, i) => [String(i), x]) : Object.entries(node as Record<string, unknown>);
        const big = entries.find(([, x]) => x !== null && typeof x === 'object' && (memo.get(x) ?? 0) > MAX_EXPANDED_NODES / 2);
        if (!big) break;
        p = getPos(node as object, big[0]) ?? p;
        path.push(big[0]);
        node = big[1];
      }
      throw new ComposeError(`the document expands to more than ${MAX_EXPANDED_NODES} nodes through YAML aliases (alias bomb?); use fewer aliases`, { file, line: p.line, column: p.column, field: path.join('.') || undefined });
    }
    documents.push(build(d, 0));
    rootPos.push(at(frame?.start ?? 0));
  });
  return { documents, roots: rootPos, tagged: tagsParsed !== tagsBefore };

  /** Records key/item positions of a value from its frame's children. */
  function assign(frame: Frame, value: unknown): void {
    const v = unwrapTag(value);
    if (Array.isArray(v)) {
      const kids = frame.children;
      // A sequence's children are its items (a failed implicit-key attempt may nest one extra frame).
      if (kids.length === v.length) kids.forEach((k, i) => {
        setPos(v, i, at(k.start));
        assign(innermost(k, v[i]), v[i]);
      });
    } else if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      const kids = frame.children;
      const merged: unknown[] = [];
      for (let i = 0; i + 1 < kids.length; i += 2) {
        const keyFrame = kids[i]!;
        const valFrame = kids[i + 1]!;
        const key = String(keyFrame.result);
        if (key === '<<') {
          merged.push(...(Array.isArray(valFrame.result) ? valFrame.result : [valFrame.result]));
          continue;
        }
        if (Object.prototype.hasOwnProperty.call(v, key) && getPos(v, key) === undefined) {
          setPos(v, key, at(keyFrame.start));
          assign(innermost(valFrame, (v as Record<string, unknown>)[key]), (v as Record<string, unknown>)[key]);
        }
      }
      // Keys from YAML merge keys (<<: *anchor) keep the anchor's positions.
      for (const src of merged) {
        if (!src || typeof src !== 'object') continue;
        for (const k of Object.keys(src)) if (getPos(v, k) === undefined && getPos(src, k)) setPos(v, k, getPos(src, k));
      }
    }
  }

  function innermost(frame: Frame, value: unknown): Frame {
    // Collapse wrapper frames that hold the same value (block-sequence items).
    let f = frame;
    while (f.children.length === 1 && f.children[0]!.result === value && !isContainerValue(value)) f = f.children[0]!;
    if (isContainerValue(value) && f.children.length === 1 && f.children[0]!.result === value) f = f.children[0]!;
    return f;
  }

  /**
   * Converts js-yaml values to the resolver's shape: Compose tags to
   * ResetTag/OverrideTag, aliases (shared objects) to copies so that each
   * place can be normalised on its own, with a node budget against alias bombs.
   */
  function build(v: unknown, depth: number): unknown {
    if (++state.nodes > MAX_EXPANDED_NODES) {
      throw new ComposeError(`the file expands to more than ${MAX_EXPANDED_NODES} nodes (YAML alias bomb?); use fewer aliases`, { file, line: state.pos?.line, column: state.pos?.column, field: keys.join('.') || undefined });
    }
    if (depth > limits.maxDepth) {
      throw new ComposeError(`nesting is deeper than ${limits.maxDepth} levels; flatten the file`, { file, line: state.pos?.line, column: state.pos?.column, field: keys.join('.') || undefined });
    }
    if (v === null || typeof v !== 'object') return v === undefined ? null : v;
    if (v instanceof Date) return v.toISOString();
    const tagged = v as { [TAG]?: string; data?: unknown };
    if (tagged[TAG] !== undefined) tagsParsed++;
    if (tagged[TAG] === '!reset') return new ResetTag(state.pos ?? { file, line: 1, column: 1 });
    if (tagged[TAG] === '!override') return new OverrideTag(build(tagged.data, depth), state.pos ?? { file, line: 1, column: 1 });
    const shared = state.seen.has(v);
    state.seen.add(v);
    if (Array.isArray(v)) {
      const out = shared ? [] : v;
      if (shared) copyPositions(v, out);
      for (let i = 0; i < v.length; i++) {
        state.pos = getPos(v, i) ?? state.pos;
        keys.push(String(i));
        out[i] = build(v[i], depth + 1);
        keys.pop();
      }
      return out;
    }
    const src = v as Record<string, unknown>;
    const out: Record<string, unknown> = shared ? {} : src;
    if (shared) copyPositions(src, out);
    for (const k of Object.keys(src)) {
      state.pos = getPos(src, k) ?? state.pos;
      keys.push(k);
      put(out, k, build(src[k], depth + 1));
      keys.pop();
    }
    return out;
  }
}

function expandedSize(v: unknown, memo: Map<object, number>): number {
  if (v === null || typeof v !== 'object') return 1;
  const known = memo.get(v);
  if (known !== undefined) return known;
  memo.set(v, Infinity); // a cycle (self-referencing alias) is refused as infinite
  let n = 1;
  for (const x of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) {
    n += expandedSize(x, memo);
    if (n > MAX_EXPANDED_NODES) break;
  }
  memo.set(v, n);
  return n;
}

function unwrapTag(v: unknown): unknown {
  if (v && typeof v === 'object' && (v as Record<symbol, unknown>)[TAG] !== undefined) return (v as { data: unknown }).data;
  return v;
}

function isContainerValue(v: unknown): boolean {
  return v !== null && typeof v === 'object';
}

function preScanDepth(file: string, text: string, maxDepth: number): void {
  // Flow collections nest by brackets; block collections by indentation,
  // which the converter bounds. Brackets inside quotes may over-count, which
  // only errs on the side of refusing absurd files.
  let depth = 0;
  let line = 1;
  let col = 0;
  const limit = maxDepth * 4;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    col++;
    if (c === 10) {
      line++;
      col = 0;
    } else if (c === 91 || c === 123) {
      if (++depth > limit) throw new ComposeError(`nesting is deeper than ${maxDepth} levels; flatten the file`, { file, line, column: col });
    } else if (c === 93 || c === 125) {
      if (depth > 0) depth--;
    }
  }
}
