// The shipped deploy files: systemd units verified by systemd-analyze where
// the machine has it, the Kubernetes CronJob parsed and checked for the
// fields a CronJob needs; the palisade command lines in both must name flags
// the CLI really has.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

import { buildProgram } from '../../src/cli/main.js';
import { packageRoot } from '../../src/paths.js';
import { parseSchedule } from '../../src/serve/scheduler.js';

const SYSTEMD = path.join(packageRoot, 'deploy', 'systemd');
const UNITS = ['palisade-scan.service', 'palisade-scan.timer', 'palisade-serve.service'];
// systemd-analyze is a check where systemd is installed; the units are also
// parsed and their flags checked against the CLI below, which always runs.
const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' }).status === 0;

/** Unit file sections as key -> values (a key may repeat). */
function parseUnit(file: string): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  let section = '';
  for (const raw of readFileSync(path.join(SYSTEMD, file), 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const s = /^\[(.+)\]$/.exec(line);
    if (s?.[1]) {
      section = s[1];
      out[section] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0 || section === '') throw new Error(`${file}: not key=value: ${line}`);
    const key = line.slice(0, eq);
    ((out[section] as Record<string, string[]>)[key] ??= []).push(line.slice(eq + 1));
  }
  return out;
}

/** Shell-like split of an ExecStart line (double quotes only). */
function words(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

/** The long flags of a palisade subcommand. */
function flagsOf(command: string): Set<string> {
  const program = buildProgram({ stdout: process.stdout, stderr: process.stderr, env: {}, cwd: packageRoot, now: () => new Date() }, () => undefined);
  const cmd = program.commands.find((c) => c.name() === command);
  if (!cmd) throw new Error(`no command ${command}`);
  return new Set(cmd.options.flatMap((o) => [o.long, o.negate ? o.long : undefined]).filter((f): f is string => f !== undefined));
}

function expectKnownFlags(args: string[], command: string): void {
  const known = flagsOf(command);
  const unknown = args.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0] as string).filter((a) => !known.has(a));
  expect(unknown, `flags of palisade ${command}`).toEqual([]);
}

describe('deploy/systemd', () => {
  it.skipIf(!hasSystemdAnalyze)('passes systemd-analyze verify', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'palisade-units-'));
    // verify checks that ExecStart's binary exists: point it at a stand-in.
    const stub = path.join(dir, 'palisade');
    writeFileSync(stub, '#!/bin/sh\nexit 0\n');
    chmodSync(stub, 0o755);
    for (const unit of UNITS) {
      const text = readFileSync(path.join(SYSTEMD, unit), 'utf8').replaceAll('/usr/local/bin/palisade', stub);
      writeFileSync(path.join(dir, unit), text);
    }

    const r = spawnSync('systemd-analyze', ['verify', '--man=no', ...UNITS.map((u) => path.join(dir, u))], { encoding: 'utf8' });

    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.skipIf(!hasSystemdAnalyze)('timer fires every six hours', () => {
    const onCalendar = parseUnit('palisade-scan.timer')['Timer']?.['OnCalendar']?.[0] ?? '';

    const r = spawnSync('systemd-analyze', ['calendar', '--iterations=3', onCalendar], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });

    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Normalized form: \*-\*-\* 00\/6:00:00/);
  });

  it('palisade-scan is a oneshot scan --record started by the timer', () => {
    const service = parseUnit('palisade-scan.service');
    const timer = parseUnit('palisade-scan.timer');
    const exec = words(service['Service']?.['ExecStart']?.[0] ?? '');

    expect(service['Service']?.['Type']).toEqual(['oneshot']);
    expect(exec.slice(1, 3)).toEqual(['scan', '--record']);
    expectKnownFlags(exec.slice(2), 'scan');
    expect(service['Service']?.['SuccessExitStatus']).toEqual(['1 3']);
    expect(timer['Timer']?.['Unit']).toEqual(['palisade-scan.service']);
    expect(timer['Timer']?.['Persistent']).toEqual(['yes']);
    expect(timer['Install']?.['WantedBy']).toEqual(['timers.target']);
  });

  it('palisade-serve is long-running, hardened, and listens on loopback', () => {
    const s = parseUnit('palisade-serve.service')['Service'] ?? {};
    const exec = words(s['ExecStart']?.[0] ?? '');

    expect(exec[1]).toBe('serve');
    expectKnownFlags(exec.slice(2), 'serve');
    expect(exec[exec.indexOf('--listen') + 1]).toBe('127.0.0.1:9464');
    expect(() => parseSchedule(exec[exec.indexOf('--schedule') + 1] ?? '')).not.toThrow();
    expect(exec.join(' ')).not.toContain('--webhook');
    for (const [key, value] of [
      ['Type', 'simple'],
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ProtectHome', 'read-only'],
      ['PrivateTmp', 'yes'],
      ['PrivateDevices', 'yes'],
      ['RestrictSUIDSGID', 'yes'],
      ['CapabilityBoundingSet', ''],
      ['KillSignal', 'SIGTERM'],
      ['Restart', 'on-failure'],
    ] as const) {
      expect(s[key], key).toEqual([value]);
    }
    expect(s['User']).toEqual(['palisade']);
  });
});

describe('deploy/k8s/cronjob.yaml', () => {
  const doc = yaml.load(readFileSync(path.join(packageRoot, 'deploy/k8s/cronjob.yaml'), 'utf8')) as Record<string, any>;

  it('is a batch/v1 CronJob with a valid schedule that never overlaps', () => {
    expect(doc['apiVersion']).toBe('batch/v1');
    expect(doc['kind']).toBe('CronJob');
    expect(doc['metadata']?.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(() => parseSchedule(doc['spec']?.schedule)).not.toThrow();
    expect(doc['spec']?.concurrencyPolicy).toBe('Forbid');
  });

  it('runs palisade scan --record as non-root, read-only, with the database URL from a Secret', () => {
    const pod = doc['spec']?.jobTemplate?.spec?.template?.spec;
    const [container] = pod?.containers ?? [];

    expect(['Never', 'OnFailure']).toContain(pod?.restartPolicy);
    expect(pod?.automountServiceAccountToken).toBe(false);
    expect(pod?.securityContext?.runAsNonRoot).toBe(true);
    expect(container?.image).toMatch(/\S+:\S+/);
    expect(container?.args?.slice(0, 2)).toEqual(['scan', '--record']);
    expectKnownFlags(container?.args?.slice(1) ?? [], 'scan');
    expect(container?.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(container?.env).toEqual([{ name: 'PALISADE_DB_URL', valueFrom: { secretKeyRef: { name: 'palisade-db', key: 'url' } } }]);
    const mounts = (container?.volumeMounts ?? []).map((m: { name: string }) => m.name).sort();
    expect(mounts).toEqual((pod?.volumes ?? []).map((v: { name: string }) => v.name).sort());
  });
});
