// `palisade policy validate` and `palisade policy explain`. The policy loader
// (YAML, schema validators, check registry) is loaded inside the actions.
import { Option, type Command } from 'commander';

import { UsageError } from '../errors.js';
import type { WorkloadAttributes } from '../policy/selector.js';
import { EXIT } from './exit-codes.js';
import type { CliIO, SetExit } from './io.js';
import { collect } from './options.js';

interface ExplainFlags {
  policy: string;
  kind: WorkloadAttributes['kind'];
  label?: string[];
  tag?: string[];
  segment?: string;
  engine?: string;
  host?: string;
  format: 'table' | 'json';
}

function parseLabels(values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`--label ${JSON.stringify(v)}: expected key=value`);
    labels[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return labels;
}

export function registerPolicyCommands(program: Command, io: CliIO, setExit: SetExit): void {
  const policy = program.command('policy').description('Work with policies.');
  policy
    .command('validate')
    .description('Validate policy files against the schema and the check catalogue.')
    .argument('<files...>', 'policy files (or built-in names)')
    .action(async (files: string[]) => {
      const { loadPolicy } = await import('../policy/policy.js');
      for (const file of files) {
        const resolved = loadPolicy(file);
        const enabled = resolved.checks.filter((c) => c.enabled).length;
        io.stdout.write(`${file}: valid (policy ${resolved.name}: ${enabled} checks enabled, ${resolved.waivers.length} waivers)\n`);
      }
      setExit(EXIT.ok);
    });

  policy
    .command('explain')
    .description('Show which policy entry decides each check (enabled, severity, parameters) for a workload.')
    .argument('<workload>', 'workload name (container, engine or host)')
    .option('-p, --policy <file|name>', 'policy file or built-in name', 'default')
    .addOption(new Option('--kind <kind>', 'workload kind').choices(['container', 'engine', 'host']).default('container'))
    .addOption(new Option('--label <key=value>', 'a container label (repeatable)').argParser(collect))
    .addOption(new Option('--tag <tag>', 'an inventory tag (repeatable)').argParser(collect))
    .option('--segment <segment>', 'the host\'s network segment')
    .option('--engine <name>', 'the engine the container runs on')
    .option('--host <name>', 'the inventory host the workload is or runs on')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (name: string, flags: ExplainFlags) => {
      const [{ checksFor, loadPolicy }, { explainJson, explainText }] = await Promise.all([
        import('../policy/policy.js'),
        import('./explain.js'),
      ]);
      const resolved = loadPolicy(flags.policy);
      const workload: WorkloadAttributes = { kind: flags.kind, name, labels: parseLabels(flags.label ?? []), tags: flags.tag ?? [] };
      if (flags.segment !== undefined) workload.segment = flags.segment;
      if (flags.engine !== undefined) workload.engine = flags.engine;
      if (flags.host !== undefined) workload.host = flags.host;
      const checks = checksFor(resolved, workload);
      io.stdout.write(flags.format === 'json' ? explainJson(resolved.name, checks, workload) : explainText(resolved.name, checks, workload));
      setExit(EXIT.ok);
    });
}
