#!/usr/bin/env node
// Bundles the compiled CLI (dist/src) into one file, dist/palisade.cjs, which
// bin/palisade loads: resolving and evaluating ~300 separate modules costs more
// start-up time than the scan of a small host (docs/benchmarks.md).
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

await build({
  stdin: { contents: "import { run } from './src/cli/run.js';\nrun();\n", resolveDir: path.join(root, 'dist'), loader: 'js' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: path.join(root, 'dist', 'palisade.cjs'),
  // ssh2's optional native helpers stay optional. The history backends load
  // lazily from node_modules: PGlite finds its .wasm and .data files next to
  // its own module, and neither is wanted in the start-up bundle.
  external: ['cpu-features', '*.node', '@electric-sql/pglite', 'pg', 'pg-native'],
  // ESM sources locate the package through import.meta.url; in CommonJS that is the bundle's own file.
  define: { 'import.meta.url': '__palisadeUrl' },
  banner: { js: "const __palisadeUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'error',
});
