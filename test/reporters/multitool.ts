// Runs the SARIF Multitool's validator with GitHub's ingestion rules, offline,
// and returns the errors it reports.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { repoRoot } from './fixture.js';

/** /work/shared beside the repository, or PALISADE_SHARED_DIR. */
export function sharedDir(): string {
  return process.env['PALISADE_SHARED_DIR'] ?? path.resolve(repoRoot, '../shared');
}

function packagedBinary(): string {
  const platform = process.platform === 'win32' ? 'win32' : process.platform === 'darwin' ? 'darwin' : 'linux';
  const file = platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool';
  return path.join(repoRoot, 'node_modules', '@microsoft', `sarif-multitool-${platform}`, file);
}

function ensureExecutable(file: string): void {
  if (process.platform === 'win32') return;
  const mode = statSync(file).mode;
  // npm runs the package's `chmod u+x` postinstall only when install scripts are allowed.
  if ((mode & 0o100) === 0) chmodSync(file, mode | 0o100);
}

export interface Multitool {
  binary: string;
  /** Command prefix that cuts the validator off the network. */
  wrapper: string[];
  env: NodeJS.ProcessEnv;
  /** The shared GitHub upload policy, with the one rule that needs the network turned off. */
  config: string;
}

export interface ValidationIssue {
  ruleId: string;
  level: string;
  text: string;
}

/**
 * SARIF2006 (UrisShouldBeReachable) fetches every URI in the log; tests talk
 * only to loopback, so it is disabled on top of the shared GitHub policy.
 */
function offlineConfig(workDir: string): string {
  const shared = readFileSync(path.join(sharedDir(), 'sarif', 'github-upload.config.xml'), 'utf8');
  const end = shared.lastIndexOf('</Properties>');
  if (end === -1) throw new Error('github-upload.config.xml has no closing </Properties>');
  const extra =
    "  <Properties Key='SARIF2006.UrisShouldBeReachable.Options'>\n" +
    "    <Property Key='RuleEnabled' Value='Disabled' />\n" +
    '  </Properties>\n';
  const file = path.join(workDir, 'github-upload.offline.config.xml');
  writeFileSync(file, `${shared.slice(0, end)}${extra}${shared.slice(end)}`);
  return file;
}

/** `unshare -n` runs the validator with no network at all, where the system allows it (root on Linux). */
function isolated(): string[] {
  if (process.platform !== 'linux') return [];
  const probe = spawnSync('unshare', ['-n', 'true']);
  return probe.status === 0 ? ['unshare', '-n'] : [];
}

function run(tool: Omit<Multitool, 'config'>, args: string[]): { status: number | null; output: string } {
  const [command, ...prefix] = [...tool.wrapper, tool.binary];
  const r = spawnSync(command ?? tool.binary, [...prefix, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...tool.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
    timeout: 120_000,
  });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/**
 * Rule kinds of the Multitool: `Sarif` (SARIF1xxx/2xxx), `Gh` (GH1001-GH1007,
 * the GitHub ingestion rules the config turns on) and `Ghas` (GH1011 and up).
 * Without `Gh` the GH100x rules never run, whatever the config says.
 */
const RULE_KINDS = 'Sarif;Gh;Ghas';

// The input comes first: `--log` takes a list and would swallow a path after it.
function validateArgs(config: string, input: string, output: string): string[] {
  return ['validate', input, '--rule-kind', RULE_KINDS, '--config', config, '--output', output, '--log', 'ForceOverwrite'];
}

export function prepareMultitool(workDir: string): Multitool {
  const binary = packagedBinary();
  if (!existsSync(binary)) throw new Error(`SARIF Multitool not installed at ${binary}; run npm ci`);
  ensureExecutable(binary);
  const tool: Multitool = { binary, wrapper: isolated(), env: {}, config: offlineConfig(workDir) };
  const probe = path.join(workDir, 'probe.sarif');
  writeFileSync(probe, JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'probe' } }, results: [] }] }));
  const probeOut = path.join(workDir, 'probe.out.sarif');
  const r = run(tool, validateArgs(tool.config, probe, probeOut));
  if (!existsSync(probeOut)) throw new Error(`SARIF Multitool failed (exit ${r.status}):\n${r.output}`);
  return tool;
}

interface LogResult {
  ruleId?: string;
  level?: string;
  message?: { text?: string; id?: string; arguments?: string[] };
}

interface LogNotification {
  level?: string;
  message?: { text?: string };
  descriptor?: { id?: string };
}

function text(message: LogResult['message']): string {
  return message?.text ?? [message?.id, ...(message?.arguments ?? [])].filter(Boolean).join(' | ');
}

/** Validates `input` and returns every error-level result and execution notification of the output log. */
export function validateSarif(tool: Multitool, input: string): ValidationIssue[] {
  const output = `${input}.validation.sarif`;
  const r = run(tool, validateArgs(tool.config, input, output));
  if (!existsSync(output)) throw new Error(`SARIF Multitool wrote no log (exit ${r.status}):\n${r.output}`);
  const log = JSON.parse(readFileSync(output, 'utf8')) as {
    runs: { results?: LogResult[]; invocations?: { toolExecutionNotifications?: LogNotification[] }[] }[];
  };
  const issues: ValidationIssue[] = [];
  for (const runEntry of log.runs) {
    for (const res of runEntry.results ?? []) {
      // A result without a level is a warning (SARIF 3.27.10).
      const level = res.level ?? 'warning';
      if (level === 'error') issues.push({ ruleId: res.ruleId ?? '?', level, text: text(res.message) });
    }
    for (const inv of runEntry.invocations ?? []) {
      for (const n of inv.toolExecutionNotifications ?? []) {
        if (n.level === 'error') issues.push({ ruleId: n.descriptor?.id ?? 'notification', level: 'error', text: n.message?.text ?? '' });
      }
    }
  }
  return issues;
}
