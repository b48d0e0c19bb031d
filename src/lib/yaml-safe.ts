// The one YAML loader for policies and inventories: js-yaml with a safe
// schema (core by default; no JavaScript types), plus the limits js-yaml does
// not have. js-yaml recurses once per nesting level and shares one object per
// anchor, so without them a 5,000-deep `[[[[...` ends in a stack overflow and
// an alias bomb (billion laughs) loads in microseconds, then hangs whoever
// walks the data (schema validation, JSON output).
//
// - Document size: refused before parsing.
// - Nesting depth: counted as js-yaml opens each node, so the error comes
//   long before the stack runs out, naming the line.
// - Aliases: every `*name` is counted, and so are the nodes it stands for
//   (the size of the anchored value, memoised); past either limit, an error
//   naming the line of the alias.
import yaml from 'js-yaml';

import { LIMITS, formatBytes } from './limits.js';

export interface YamlLimits {
  maxBytes: number;
  maxDepth: number;
  maxAliases: number;
  maxAliasExpandedNodes: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = {
  maxBytes: LIMITS.inventoryFileBytes,
  maxDepth: LIMITS.yamlDepth,
  maxAliases: LIMITS.yamlAliases,
  maxAliasExpandedNodes: LIMITS.yamlAliasExpandedNodes,
};

/** A YAML document could not be loaded: bad syntax or over a limit. `line` is 1-based when known. */
export class YamlLoadError extends Error {
  readonly reason: string;
  readonly line: number | undefined;
  /** Over a limit (depth, aliases, size) rather than a syntax error. */
  readonly limit: boolean;

  constructor(reason: string, line: number | undefined, limit: boolean, options?: { cause?: unknown }) {
    super(line === undefined ? reason : `${reason} (line ${line})`, options);
    this.name = 'YamlLoadError';
    this.reason = reason;
    this.line = line;
    this.limit = limit;
  }
}

export interface SafeLoadOptions {
  filename?: string;
  /** CORE_SCHEMA by default. Only safe schemas (no !!js types) belong here. */
  schema?: yaml.Schema;
  limits?: Partial<YamlLimits>;
}

/** What js-yaml's loader state exposes to a listener (not in its typings). */
interface LoaderState {
  line: number;
  position: number;
  anchor: string | null;
  result: unknown;
  anchorMap: Record<string, unknown>;
}

class Limit extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(reason);
  }
}

/** Nodes in a value, counting shared objects each time they appear; `inProgress` breaks cycles. */
function nodeCount(value: unknown, memo: WeakMap<object, number>, inProgress: WeakSet<object>): number {
  if (typeof value !== 'object' || value === null) return 1;
  const known = memo.get(value);
  if (known !== undefined) return known;
  if (inProgress.has(value)) return 1;
  inProgress.add(value);
  let n = 1;
  for (const child of Object.values(value)) n += nodeCount(child, memo, inProgress);
  inProgress.delete(value);
  memo.set(value, n);
  return n;
}

/** Parses one YAML document within the limits; throws YamlLoadError with the line. */
export function loadYamlSafe(text: string, options: SafeLoadOptions = {}): unknown {
  const limits = { ...DEFAULT_YAML_LIMITS, ...options.limits };
  const bytes = Buffer.byteLength(text);
  if (bytes > limits.maxBytes) {
    throw new YamlLoadError(`the YAML document is ${formatBytes(bytes)}, over the limit of ${formatBytes(limits.maxBytes)}`, undefined, true);
  }

  let depth = 0;
  let aliases = 0;
  let expanded = 0;
  const wrapped = new WeakSet<object>();
  const complete = new WeakSet<object>();
  const memo = new WeakMap<object, number>();
  const inProgress = new WeakSet<object>();
  let current: LoaderState | undefined;

  const watchAliases = (state: LoaderState): void => {
    if (wrapped.has(state.anchorMap)) return;
    // A new document's anchor map: count every read of it, which is what an alias is.
    const proxy = new Proxy(state.anchorMap, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof key !== 'string' || current === undefined) return value;
        const line = current.line + 1;
        aliases += 1;
        if (aliases > limits.maxAliases) throw new Limit(`more than ${limits.maxAliases} aliases in one document`, line);
        if (typeof value === 'object' && value !== null && !complete.has(value)) {
          throw new Limit(`alias *${key} refers to a node that contains it; recursive aliases are not allowed`, line);
        }
        expanded += nodeCount(value, memo, inProgress);
        if (expanded > limits.maxAliasExpandedNodes) {
          throw new Limit(`aliases expand to more than ${limits.maxAliasExpandedNodes} nodes (an alias bomb?)`, line);
        }
        return value;
      },
    });
    wrapped.add(proxy);
    state.anchorMap = proxy;
  };

  const listener = (event: 'open' | 'close', state: LoaderState): void => {
    current = state;
    if (event === 'open') {
      watchAliases(state);
      depth += 1;
      if (depth > limits.maxDepth) throw new Limit(`nesting deeper than ${limits.maxDepth} levels`, state.line + 1);
      return;
    }
    depth -= 1;
    if (state.anchor !== null && typeof state.result === 'object' && state.result !== null) complete.add(state.result);
  };

  try {
    return yaml.load(text, {
      schema: options.schema ?? yaml.CORE_SCHEMA,
      ...(options.filename !== undefined ? { filename: options.filename } : {}),
      listener: listener as unknown as yaml.LoadOptions['listener'],
    });
  } catch (cause) {
    if (cause instanceof Limit) throw new YamlLoadError(cause.reason, cause.line, true, { cause });
    if (cause instanceof RangeError) {
      // Should not happen with the depth limit; if it does, say what it means.
      const line = current ? current.line + 1 : undefined;
      throw new YamlLoadError(`nesting too deep to parse (limit ${limits.maxDepth} levels)`, line, true, { cause });
    }
    const mark = (cause as { mark?: { line: number } }).mark;
    const reason = (cause as { reason?: string }).reason ?? String(cause);
    // An error at the end of the stream points past the last line; name the last line instead.
    const lastLine = text.replace(/\s+$/, '').split(/\r?\n/).length;
    const line = mark ? Math.max(1, Math.min(mark.line + 1, lastLine)) : undefined;
    throw new YamlLoadError(reason, line, false, { cause });
  }
}
