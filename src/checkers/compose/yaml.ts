// Reads one Compose file into plain values, keeping where every key and
// sequence item was written, with limits against hostile input (size, alias
// expansion, nesting depth) and the Compose tags `!reset` and `!override`.

import { closeSync, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YamlNode } from 'yaml';
import { ComposeError } from './errors.js';
import type { ResolveLimits, SourcePosition } from './types.js';

export const DEFAULT_LIMITS: ResolveLimits = {
  maxFileBytes: 10 * 1024 * 1024,
  maxAliasCount: 10_000,
  maxDepth: 64,
  maxFiles: 1_000,
};

/** Most nodes a file may expand to once aliases are followed (billion-laughs guard). */
const MAX_EXPANDED_NODES = 1_000_000;

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

export type Container = Record<string, unknown> | unknown[];

/** Position of each key (mapping) or index (sequence) of a container. */
const positions = new WeakMap<object, Map<string, SourcePosition>>();

export function setPos(container: object, key: string | number, pos: SourcePosition | undefined): void {
  if (!pos) return;
  let m = positions.get(container);
  if (!m) {
    m = new Map();
    positions.set(container, m);
  }
  m.set(String(key), pos);
}

export function getPos(container: object, key: string | number): SourcePosition | undefined {
  return positions.get(container)?.get(String(key));
}

/** Copies every key position of `from` onto `to` (same keys). */
export function copyPositions(from: object, to: object): void {
  const m = positions.get(from);
  if (m) positions.set(to, new Map(m));
}

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
}

/** Parses YAML text into plain values with positions. */
export function parseComposeYaml(file: string, text: string, limits: ResolveLimits): ParsedYaml {
  // A cheap pre-scan: the yaml parser recurses on nesting, so an absurd depth
  // must be refused before it reaches it.
  preScanDepth(file, text, limits.maxDepth);
  const lc = new LineCounter();
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false, strict: false, keepSourceTokens: false });
  } catch (err) {
    if (err instanceof RangeError) throw new ComposeError(`nesting is too deep (limit ${limits.maxDepth} levels)`, { file }, { cause: err });
    throw new ComposeError(`invalid YAML: ${(err as Error).message}`, { file }, { cause: err });
  }
  const list = Array.isArray(docs) ? docs : [docs];
  const at = (offset: number): SourcePosition => {
    const p = lc.linePos(offset);
    return { file, line: p.line, column: p.col };
  };
  const documents: unknown[] = [];
  const roots: SourcePosition[] = [];
  for (const doc of list) {
    const e = doc.errors[0];
    if (e) {
      const p = at(e.pos[0]);
      const msg = e.message.split('\n')[0] ?? e.message;
      throw new ComposeError(`invalid YAML: ${msg}`, { file, line: p.line, column: p.column });
    }
    const state = { aliases: 0, nodes: 0 };
    const conv = (node: unknown, depth: number, path: string): unknown => {
      if (depth > limits.maxDepth) {
        const p = nodePos(node);
        throw new ComposeError(`nesting is deeper than ${limits.maxDepth} levels; flatten the file`, { file, ...p, field: path || undefined });
      }
      if (++state.nodes > MAX_EXPANDED_NODES) {
        throw new ComposeError(`the file expands to more than ${MAX_EXPANDED_NODES} nodes (YAML alias bomb?); use fewer aliases`, { file, ...nodePos(node) });
      }
      if (node === null || node === undefined) return null;
      if (isAlias(node)) {
        if (++state.aliases > limits.maxAliasCount) {
          throw new ComposeError(`more than ${limits.maxAliasCount} YAML alias references (alias bomb?); use fewer aliases`, { file, ...nodePos(node), field: path || undefined });
        }
        const target = node.resolve(doc);
        if (!target) throw new ComposeError(`unknown YAML alias *${node.source}`, { file, ...nodePos(node), field: path || undefined });
        return conv(target, depth, path);
      }
      const tag = (node as YamlNode).tag;
      const pos = at((node as YamlNode).range?.[0] ?? 0);
      if (tag === '!reset') return new ResetTag(pos);
      if (tag === '!override') {
        return new OverrideTag(convPlain(node, depth, path), pos);
      }
      return convPlain(node, depth, path);
    };
    const nodePos = (node: unknown): { line?: number; column?: number } => {
      const r = (node as YamlNode | undefined)?.range;
      if (!r) return {};
      const p = at(r[0]);
      return { line: p.line, column: p.column };
    };
    const convPlain = (node: unknown, depth: number, path: string): unknown => {
      if (isScalar(node)) {
        const v = node.value;
        if (typeof v === 'bigint') return Number(v);
        return v === undefined ? null : v;
      }
      if (isMap(node)) {
        const out: Record<string, unknown> = {};
        const merges: unknown[] = [];
        for (const pair of node.items) {
          if (!isPair(pair)) continue;
          const keyNode = pair.key as YamlNode | null;
          const keyVal = keyNode && isScalar(keyNode) ? keyNode.value : keyNode === null ? '' : undefined;
          if (keyVal === undefined || (typeof keyVal === 'object' && keyVal !== null)) {
            throw new ComposeError('mapping keys must be plain scalars', { file, ...nodePos(keyNode), field: path || undefined });
          }
          const key = String(keyVal);
          if (key === '<<' && isScalar(keyNode) && keyNode.type === 'PLAIN') {
            merges.push(pair.value);
            continue;
          }
          const child = path ? `${path}.${key}` : key;
          put(out, key, conv(pair.value, depth + 1, child));
          setPos(out, key, keyNode?.range ? at(keyNode.range[0]) : undefined);
        }
        // YAML merge keys: explicit keys win, earlier merge sources win over later ones.
        for (const m of merges) {
          const sources = isSeq(m) ? m.items : [m];
          for (const s of sources) {
            const v = conv(s, depth + 1, path);
            if (!isRecord(v)) throw new ComposeError('a YAML merge key (<<) must refer to a mapping', { file, ...nodePos(s), field: path || undefined });
            for (const [k, val] of Object.entries(v)) {
              if (Object.prototype.hasOwnProperty.call(out, k)) continue;
              put(out, k, val);
              setPos(out, k, getPos(v, k));
            }
          }
        }
        return out;
      }
      if (isSeq(node)) {
        const out: unknown[] = [];
        node.items.forEach((item, i) => {
          out.push(conv(item, depth + 1, path ? `${path}.${i}` : String(i)));
          const r = (item as YamlNode | null)?.range;
          setPos(out, i, r ? at(r[0]) : undefined);
        });
        return out;
      }
      return null;
    };
    documents.push(conv(doc.contents, 0, ''));
    roots.push(at(doc.contents?.range?.[0] ?? 0));
  }
  return { documents, roots };
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
