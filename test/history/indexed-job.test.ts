import { readFileSync } from 'node:fs';
import path from 'node:path';

import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

import { buildProgram } from '../../src/cli/main.js';
import { packageRoot } from '../../src/paths.js';
import { parseShard } from '../../src/scan/shard.js';

interface JobDoc {
  kind: string;
  metadata: { name: string };
  spec: { completionMode?: string; completions?: number; parallelism?: number; template: { spec: { containers: { args: string[]; env: { name: string }[] }[] } } };
}

const docs = yaml.loadAll(readFileSync(path.join(packageRoot, 'deploy/k8s/indexed-job.yaml'), 'utf8')) as JobDoc[];

function optionsOf(command: string): Set<string> {
  const program = buildProgram({ stdout: process.stdout, stderr: process.stderr, env: {}, cwd: '/', now: () => new Date() }, () => {});
  const cmd = program.commands.find((c) => c.name() === command);
  return new Set((cmd?.options ?? []).map((o) => o.long ?? ''));
}

describe('deploy/k8s/indexed-job.yaml', () => {
  const [scan, merge] = docs;

  it('is an Indexed Job whose shard count matches --shard auto/n, grouped by the Job name', () => {
    const c = scan?.spec.template.spec.containers[0];
    const shardArg = c?.args[c.args.indexOf('--shard') + 1] ?? '';

    expect(scan?.spec).toMatchObject({ completionMode: 'Indexed', completions: 20, parallelism: 20 });
    expect(parseShard(shardArg, { JOB_COMPLETION_INDEX: '19' })).toEqual({ index: 20, count: 20 });
    expect(c?.env.map((e) => e.name)).toEqual(['PALISADE_DB_URL', 'PALISADE_SHARD_GROUP']);
    const group = merge?.spec.template.spec.containers[0]?.args;
    expect(group?.[(group.indexOf('--shard-group') ?? 0) + 1]).toBe(scan?.metadata.name);
  });

  it.each([
    ['scan', 0],
    ['merge', 1],
  ] as const)('passes only options that palisade %s has', (command, i) => {
    const args = docs[i]?.spec.template.spec.containers[0]?.args ?? [];
    const known = optionsOf(command);

    expect(args[0]).toBe(command);
    for (const a of args.filter((x) => x.startsWith('--'))) expect(known.has(a), a).toBe(true);
  });
});
