// Runs the composite action's steps locally, the way the GitHub runner would:
// action.yml parsed with js-yaml, `${{ inputs.* }}` / `${{ steps.*.outputs.* }}`
// expressions filled in, each `run:` step's script executed with bash in a
// temporary repository, and the SARIF the upload step would send validated
// with GitHub's ingestion rules. Steps that `uses:` another action
// (setup-node, upload-sarif) and the `npm ci` install are not run here:
// GITHUB_ACTION_PATH points at a shim whose bin/palisade runs this checkout's
// sources, so the test needs no build.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { prepareMultitool, validateSarif, type Multitool } from '../reporters/multitool.js';

const ROOT = path.join(import.meta.dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'fixtures', 'check');

interface Step {
  name: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  'working-directory'?: string;
}

interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = yaml.load(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Action;

type Outputs = Record<string, Record<string, string>>;

function expand(text: string, inputs: Record<string, string>, outputs: Outputs): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (whole, expr: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(expr);
    if (input?.[1] !== undefined) return inputs[input[1]] ?? '';
    const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr);
    if (output?.[1] !== undefined && output[2] !== undefined) return outputs[output[1]]?.[output[2]] ?? '';
    throw new Error(`expression the test does not evaluate: ${whole}`);
  });
}

function step(id: string): Step {
  const found = action.runs.steps.find((s) => s.id === id || s.name === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
}

interface StepRun {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

describe('action.yml (composite action, steps run locally)', () => {
  let work: string;
  let shim: string;
  let multitool: Multitool;

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'palisade-action-'));
    shim = path.join(work, 'action');
    mkdirSync(path.join(shim, 'bin'), { recursive: true });
    writeFileSync(path.join(shim, 'package.json'), '{"type":"module"}\n');
    const tsx = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'esm', 'api', 'index.mjs')).href;
    const cli = pathToFileURL(path.join(ROOT, 'src', 'cli', 'run.ts')).href;
    writeFileSync(path.join(shim, 'bin', 'palisade'), `import { register } from '${tsx}';\nregister();\nconst { run } = await import('${cli}');\nrun();\n`);
    multitool = prepareMultitool(work);
  });

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  function repo(name: string): string {
    const dir = path.join(work, name);
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.join(FIXTURES, 'risky', 'compose.yaml'), path.join(dir, 'compose.yaml'));
    copyFileSync(path.join(FIXTURES, 'hardened', 'compose.yaml'), path.join(dir, 'hardened.yaml'));
    return dir;
  }

  function runStep(s: Step, dir: string, inputs: Record<string, string>, outputs: Outputs): StepRun {
    const outputFile = path.join(dir, `.github-output-${s.id ?? 'step'}`);
    writeFileSync(outputFile, '');
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', GITHUB_ACTION_PATH: shim, GITHUB_OUTPUT: outputFile };
    for (const [k, v] of Object.entries(s.env ?? {})) env[k] = expand(String(v), inputs, outputs);
    const cwd = path.resolve(dir, expand(s['working-directory'] ?? '.', inputs, outputs));
    const r = spawnSync('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', s.run ?? ''], { cwd, env, encoding: 'utf8', timeout: 120_000 });
    const parsed: Record<string, string> = {};
    for (const line of readFileSync(outputFile, 'utf8').split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) parsed[line.slice(0, eq)] = line.slice(eq + 1);
    }
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, outputs: parsed };
  }

  function withDefaults(given: Record<string, string>): Record<string, string> {
    const inputs: Record<string, string> = {};
    for (const [name, spec] of Object.entries(action.inputs)) inputs[name] = spec.default ?? '';
    return { ...inputs, ...given };
  }

  it('is a composite action that installs palisade with npm ci, runs it and uploads SARIF with codeql-action', () => {
    expect(action.runs.using).toBe('composite');
    expect(step('install').run).toMatch(/^npm ci --prefix "\$GITHUB_ACTION_PATH"/);
    expect(step('Upload SARIF to code scanning').uses).toMatch(/^github\/codeql-action\/upload-sarif@v\d+$/);
    // Inputs never appear inside a script: only as environment variables.
    for (const s of action.runs.steps) expect(s.run ?? '').not.toMatch(/\$\{\{/);
  });

  it('fails the gate on a risky compose.yaml and writes SARIF that GitHub accepts, located at the Compose lines', { timeout: 180_000 }, () => {
    const dir = repo('risky');
    const inputs = withDefaults({});

    const check = runStep(step('check'), dir, inputs, {});

    expect(check.stderr).not.toMatch(/internal error/);
    expect(check.status).toBe(0);
    expect(check.outputs['exit-code']).toBe('1');
    expect(check.stdout).toContain('docker/no-privileged');
    const outputs: Outputs = { check: check.outputs };
    const upload = step('Upload SARIF to code scanning');
    const sarifFile = path.resolve(dir, expand(upload.with?.['sarif_file'] ?? '', inputs, outputs));
    expect(expand(upload.with?.['category'] ?? '', inputs, outputs)).toBe('palisade-compose');
    expect(validateSarif(multitool, sarifFile).map((i) => `${i.ruleId}: ${i.text}`)).toEqual([]);
    const log = JSON.parse(readFileSync(sarifFile, 'utf8')) as {
      runs: { automationDetails: { id: string }; results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[];
    };
    expect(log.runs[0]?.automationDetails.id).toBe('palisade-compose/');
    const privileged = log.runs[0]?.results.find((r) => r.ruleId === 'docker/no-privileged')?.locations[0]?.physicalLocation;
    expect(privileged).toEqual({ artifactLocation: { uri: 'compose.yaml', uriBaseId: 'SRCROOT' }, region: { startLine: 10 } });

    const gate = runStep(step('Gate'), dir, inputs, outputs);

    expect(gate.status).toBe(1);
    expect(gate.stdout).toMatch(/::error::palisade check failed the gate \(exit 1\)/);
  });

  it('passes the gate on the files and options given as inputs', { timeout: 180_000 }, () => {
    const dir = repo('hardened');
    const inputs = withDefaults({ files: 'hardened.yaml', 'fail-on': 'critical', 'sarif-file': 'out/palisade.sarif', args: '--include-passed' });
    mkdirSync(path.join(dir, 'out'));

    const check = runStep(step('check'), dir, inputs, {});
    const gate = runStep(step('Gate'), dir, inputs, { check: check.outputs });

    expect(check.outputs).toEqual({ 'exit-code': '0', 'sarif-file': 'out/palisade.sarif' });
    expect(gate.status).toBe(0);
    expect(readFileSync(path.join(dir, 'out', 'palisade.sarif'), 'utf8')).toContain('"version": "2.1.0"');
  });

  it('never reads a file input as an option', { timeout: 180_000 }, () => {
    const dir = repo('options');
    const inputs = withDefaults({ files: '--docker' });

    const check = runStep(step('check'), dir, inputs, {});

    expect(check.outputs['exit-code']).toBe('2');
    expect(check.stderr).toMatch(/--docker/);
    expect(check.stderr).not.toMatch(/Engine|socket/);
  });
});
