// Containers with hostile labels, environment, commands, users, working
// directories, health checks and mount paths, created through the real
// Engine API, then `palisade scan --all` in every format: every report stays
// well-formed and escaped, and no secret reaches stdout, stderr or a file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ScanResult } from '../../src/model/report.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { ESC, expectNoSecrets, expectSafeReports, expectTerminalSafe, HOSTILE, HOSTILE_LABELS, REDACTED_LABELS, SECRET, SECRET_VALUES, type Reports } from '../helpers/hostile.js';
import { sarifSchemaValidator } from '../helpers/sarif-schema.js';
import { docker, removeContainers, requireEngine, SOCKET, TEST_IMAGE, uniqueName } from './engine.js';

// Skipped only when no engine is available and PALISADE_REQUIRE_INTEGRATION is
// not set (a laptop without Docker); in CI requireEngine() throws instead.
const ready = await requireEngine();

const RUN = uniqueName('run');
const OWN_LABEL = { 'palisade.test.hostile': RUN };
const names = { labels: uniqueName('palisade-it-hostile-labels'), config: uniqueName('palisade-it-hostile-config') };

const FORMATS = ['json', 'sarif', 'markdown', 'junit', 'html'] as const;

describe.skipIf(!ready)('integration: hostile containers scanned in every format', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'palisade-it-hostile-'));
  let run: CliRun;
  let reports: Reports;
  let html: string;
  let validateSarif: ValidateFunction;

  beforeAll(async () => {
    validateSarif = sarifSchemaValidator();
    // The issue's repro, and more: secrets and escape sequences in labels.
    await docker.createContainer({
      name: names.labels,
      Image: TEST_IMAGE,
      Labels: { ...OWN_LABEL, ...HOSTILE_LABELS },
      HostConfig: { NetworkMode: 'none' },
    });
    // Hostile values in every other field a target controls.
    await docker.createContainer({
      name: names.config,
      Image: TEST_IMAGE,
      Labels: OWN_LABEL,
      Env: [`API_TOKEN=${SECRET.github}`, `DB_PASSWORD=${SECRET.envPassword}`, `EVIL=${HOSTILE.escapes}`, `AWS_SECRET_ACCESS_KEY=${SECRET.awsSecret}`],
      Cmd: ['sh', '-c', `echo ${HOSTILE.escapes} --password=${SECRET.envPassword} ${SECRET.slack}`],
      User: `${ESC}[2J\u202eroot`,
      WorkingDir: `/tmp/${ESC}]0;pwned\u0007\u202e`,
      Healthcheck: { Test: ['CMD-SHELL', `curl -H "Authorization: Bearer ${SECRET.jwt}" https://u:${SECRET.urlPassword}@x/${ESC}[2J`] },
      HostConfig: {
        NetworkMode: 'none',
        Privileged: false,
        Binds: [`/var/run/docker.sock:/mnt/sock${ESC}[2J\u202e`],
        Mounts: [{ Type: 'tmpfs', Source: '', Target: `/mnt/${ESC}]0;t\u0007|<b>x</b>` }],
      },
    });

    run = await runCli(
      [
        'scan', '--docker', `unix://${SOCKET}`, '--all', '--include-passed', '--no-progress',
        ...FORMATS.flatMap((f) => ['--format', `${f}=${path.join(work, `report.${f}`)}`]),
        '--format', 'table', '--no-color',
      ],
      { cwd: work },
    );
    const file = (f: string): string => readFileSync(path.join(work, `report.${f}`), 'utf8');
    reports = { table: run.stdout, json: file('json'), sarif: file('sarif'), markdown: file('markdown'), junit: file('junit') };
    html = file('html');
  });

  afterAll(async () => {
    await removeContainers(Object.values(names));
    rmSync(work, { recursive: true, force: true });
  });

  it('scans both hostile containers', () => {
    const json = JSON.parse(reports.json) as ScanResult;

    expect([0, 1, 3]).toContain(run.code);
    for (const name of Object.values(names)) expect(json.workloads.some((w) => w.name === name)).toBe(true);
  });

  it('keeps every format well-formed and escaped, with no secret in any', () => {
    expectSafeReports(reports, validateSarif);
  });

  it('keeps the HTML report free of secrets, raw controls and markup from the target', () => {
    expectNoSecrets(html, SECRET_VALUES);

    expect(html).not.toContain(ESC);
    expect(html).not.toContain('<b>x</b>');
    expect(html).not.toMatch(/<script|<img|onerror=|javascript:/i);
  });

  it('keeps stderr free of secrets and of anything that drives a terminal', () => {
    expectNoSecrets(run.stderr, SECRET_VALUES);
    expectTerminalSafe(run.stderr);
  });

  it('says in JSON which labels held which kind of secret, and keeps the 100 KB label whole', () => {
    const json = JSON.parse(reports.json) as ScanResult;

    const labels = json.workloads.find((w) => w.name === names.labels)?.labels;
    expect(labels).toMatchObject(REDACTED_LABELS);
  });

  it('shows the hostile values of the table as visible escapes', () => {
    expect(reports.table).toContain(names.labels);
    expect(reports.table).toMatch(/\\x1b\[2J/);
  });
});
