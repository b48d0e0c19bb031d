// Hostile SSH targets scanned alongside a good one, over real OpenSSH: each
// hostile host is a throw-away sshd on 127.0.0.1 whose ForceCommand (the
// fixture script, not palisade's probe) prints crafted output. Each case must
// end with the good host fully reported and the hostile one reported as an
// error naming the limit, or with its values escaped; the whole scan finishes
// within the per-host command timeout (asserted by finishing at all).
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ScanResult } from '../../src/model/report.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { assertSshdAvailable, CI_USER, makeKey, makeTempDir, skipSshd, startSshd, stopAllSshd, type Sshd } from './sshd.js';

if (!skipSshd()) assertSshdAvailable();

const MODES = ['escapes', 'flood', 'endless', 'trickle', 'binary', 'sudo'] as const;
type Mode = (typeof MODES)[number];

// Skipped only without sshd and without PALISADE_REQUIRE_INTEGRATION (a laptop).
describe.skipIf(skipSshd())('integration: hostile SSH targets', () => {
  let dir: string;
  let run: CliRun;
  let result: ScanResult;
  const workload = (name: string) => result.workloads.find((w) => w.name === name);

  beforeAll(async () => {
    dir = makeTempDir('palisade-it-hostile');
    const key = makeKey(dir, 'id_ed25519');
    const script = path.join(dir, 'hostile-probe.sh');
    copyFileSync(path.join(import.meta.dirname, 'fixtures/hostile-probe.sh'), script);

    const good = await startSshd({ authorizedKeys: [key.publicLine], allowUsers: [CI_USER] });
    const hostile = new Map<Mode, Sshd>();
    for (const mode of MODES) {
      hostile.set(mode, await startSshd({ authorizedKeys: [key.publicLine], allowUsers: [CI_USER], config: { ForceCommand: `/bin/sh ${script} ${mode}` } }));
    }
    const servers = [good, ...hostile.values()];
    writeFileSync(path.join(dir, 'known_hosts'), servers.map((s) => `${s.knownHostsLine()}\n`).join(''));

    const hostLines = (name: string, sshd: Sshd, extra: string[] = []) => [`  ${name}:`, '    address: 127.0.0.1', `    port: ${sshd.port}`, ...extra];
    const inventory = [
      'apiVersion: palisade/v1',
      'kind: Inventory',
      'defaults:',
      `  identity: ${key.privateFile}`,
      `  knownHosts: [${path.join(dir, 'known_hosts')}]`,
      `  user: ${CI_USER}`,
      '  connectTimeout: 5s',
      'hosts:',
      ...hostLines('good', good, ['    sudo: true']),
      // The floods get time enough to reach the byte limit; the slow ones hit the time limit.
      ...MODES.flatMap((mode) =>
        hostLines(`hostile-${mode}`, hostile.get(mode) as Sshd, ['    sudo: true', `    commandTimeout: ${mode === 'flood' || mode === 'endless' ? '120s' : '5s'}`]),
      ),
      '',
    ].join('\n');
    writeFileSync(path.join(dir, 'palisade.yaml'), inventory);

    run = await runCli(
      ['scan', '--include-passed', '--no-progress', '--fail-on', 'none', '--format', 'table', '--format', `json=${path.join(dir, 'report.json')}`],
      { cwd: dir, env: { PATH: process.env['PATH'] ?? '', HOME: dir } },
    );
    result = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as ScanResult;
  }, 400_000);

  afterAll(async () => {
    await stopAllSshd();
  });

  it('reports the good host fully and the scan as incomplete (exit 3)', () => {
    const good = workload('good');

    expect(run.code).toBe(3);
    expect(good?.error).toBeUndefined();
    const evaluated = result.findings.filter((f) => f.workloadId === good?.id && (f.status === 'pass' || f.status === 'fail'));
    expect(evaluated.map((f) => f.checkId)).toEqual(expect.arrayContaining(['vm/no-empty-passwords', 'vm/ssh-empty-passwords-disabled', 'vm/host-firewall-enabled']));
  });

  it.each([
    ['flood', /limit of 64 MiB/],
    ['endless', /limit of 64 MiB/],
    ['binary', /did not run palisade's probe: no probe header/],
    ['trickle', /did not finish within 5 s/],
    ['sudo', /did not finish within 5 s/],
  ])('reports the %s host as an error naming what went wrong', (mode, message) => {
    expect(workload(`hostile-${mode}`)?.error).toMatch(message);
  });

  it('scans the host whose values carry escapes, and no terminal control reaches stdout or stderr', () => {
    const w = workload('hostile-escapes');
    const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

    expect(w?.error).toBeUndefined();
    expect(JSON.stringify(result)).toContain('FAKE: all good');
    expect(run.stdout).toContain('hostile-escapes');
    expect(run.stdout).not.toMatch(controls);
    expect(run.stderr).not.toMatch(controls);
  });
});
