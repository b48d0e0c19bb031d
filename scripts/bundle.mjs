#!/usr/bin/env node
// Bundles the compiled CLI (dist/src) for bin/palisade: ESM with code
// splitting into dist/cli/. The entry chunk holds only commander and the
// command registrations; every `await import(...)` inside a command's action
// (policy loader, check registry, Docker and SSH checkers, each reporter)
// becomes a chunk of its own, loaded only when that command runs. Resolving
// ~300 separate modules costs more start-up than the scan of a small host,
// and evaluating all of them on every run costs more than `node -e 0`
// (docs/benchmarks.md).
//
// Usage: node scripts/bundle.mjs [--metafile FILE]   (FILE: esbuild's size breakdown)
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { build } from 'esbuild';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'cli');
const metaIndex = process.argv.indexOf('--metafile');

rmSync(outdir, { recursive: true, force: true });
rmSync(path.join(root, 'dist', 'palisade.cjs'), { force: true });

// docker-modem loads ssh2 (and with it the SSH crypto) at its top for ssh://
// engines only; here it is required on first use, so a scan of a local or TCP
// engine never evaluates ssh2.
const lazySshInDockerModem = {
  name: 'lazy-ssh-in-docker-modem',
  setup(b) {
    b.onLoad({ filter: /docker-modem[\\/]lib[\\/]modem\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const eager = "ssh = require('./ssh'),";
      if (!source.includes(eager)) throw new Error(`${args.path}: expected ${eager} (docker-modem changed; update scripts/bundle.mjs)`);
      return { contents: source.replace(eager, "ssh = function () { return require('./ssh').apply(this, arguments); },"), loader: 'js' };
    });
  },
};

// commander requires node:child_process at load, for executable subcommands
// palisade never declares; loading it (and the net, dgram and stream modules
// it pulls in) cost about 10 ms of every command. Required on first spawn instead.
const lazyChildProcessInCommander = {
  name: 'lazy-child-process-in-commander',
  setup(b) {
    b.onLoad({ filter: /commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      if (!source.includes(eager)) throw new Error(`${args.path}: expected ${eager} (commander changed; update scripts/bundle.mjs)`);
      const lazy = "const childProcess = { spawn(...args) { return require('node:child_process').spawn(...args); } };";
      return { contents: source.replace(eager, lazy), loader: 'js' };
    });
  },
};

// `palisade checks` needs only the checks' metadata: extracted here from the
// compiled registry and bundled in place of src/cli/check-catalogue.ts.
const { checks } = await import(pathToFileURL(path.join(root, 'dist', 'checks', 'index.js')).href);
const catalogue = JSON.stringify(checks.map((c) => ({ id: c.id, target: c.target, meta: c.meta })));
const checkMetadataOnly = {
  name: 'check-metadata-only',
  setup(b) {
    b.onLoad({ filter: /dist[\\/]src[\\/]cli[\\/]check-catalogue\.js$/ }, () => ({
      contents: `export async function catalogueEntries() { return ${catalogue}; }\n`,
      loader: 'js',
    }));
  },
};

// Built-in policies, parsed and validated here by the compiled loader (an
// invalid one fails the build), bundled in place of src/policy/builtin-documents.ts.
const { loadPolicyDocument } = await import(pathToFileURL(path.join(root, 'dist', 'src', 'policy', 'policy.js')).href);
const { BUILTIN_POLICIES } = await import(pathToFileURL(path.join(root, 'dist', 'src', 'policy', 'builtin.js')).href);
const builtinDocuments = JSON.stringify(
  Object.fromEntries(BUILTIN_POLICIES.map((name) => {
    const { doc, text } = loadPolicyDocument(name);
    return [name, { doc, text }];
  })),
);
const builtinPoliciesParsed = {
  name: 'builtin-policies-parsed',
  setup(b) {
    b.onLoad({ filter: /dist[\\/]src[\\/]policy[\\/]builtin-documents\.js$/ }, () => ({
      contents: `const documents = ${builtinDocuments};\nexport function builtinPolicyDocument(name) { return Object.prototype.hasOwnProperty.call(documents, name) ? structuredClone(documents[name]) : undefined; }\n`,
      loader: 'js',
    }));
  },
};

const result = await build({
  entryPoints: { run: path.join(root, 'dist', 'src', 'cli', 'run.js') },
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  // ssh2's optional native helpers stay optional. ssh2 itself (0.7 MB) loads
  // from node_modules when an SSH host or ssh:// engine needs it: as part of
  // a chunk it was compiled on every scan, docker-modem requiring it.
  // The history backends load lazily from node_modules: PGlite finds its .wasm
  // and .data files next to its own module, and neither is wanted in a chunk.
  external: ['cpu-features', '*.node', '@electric-sql/pglite', 'pg', 'pg-native', 'ssh2'],
  // CommonJS dependencies (commander, ajv, ssh2, docker-modem) call require() for Node's own modules.
  // ssh2 locates files next to itself through __dirname.
  banner: {
    js: [
      "import { createRequire as __palisadeCreateRequire } from 'node:module';",
      "import { dirname as __palisadeDirname } from 'node:path';",
      "import { fileURLToPath as __palisadeFileUrlToPath } from 'node:url';",
      'const require = __palisadeCreateRequire(import.meta.url);',
      'const __filename = __palisadeFileUrlToPath(import.meta.url);',
      'const __dirname = __palisadeDirname(__filename);',
    ].join('\n'),
  },
  plugins: [lazySshInDockerModem, lazyChildProcessInCommander, checkMetadataOnly, builtinPoliciesParsed],
  metafile: metaIndex >= 0,
  logLevel: 'error',
});
if (metaIndex >= 0) writeFileSync(process.argv[metaIndex + 1], JSON.stringify(result.metafile));
