// The flags that decide what `palisade scan` and `palisade serve` scan and how
// (not where the report goes). Light: commander and constants only; the scan
// itself is prepared by scan-setup.ts, loaded inside the actions.
import { Option, type Command } from 'commander';

import { SEVERITIES, type Severity } from '../model/check.js';
import { BUILTIN_POLICIES } from '../policy/builtin.js';
import { collect, parseIntOption, parseScore } from './options.js';

export interface ScanSelectionFlags {
  docker?: string[];
  all?: boolean;
  policy: string;
  includePassed?: boolean;
  failOn?: Severity | 'none';
  minScore?: number;
  minDepth?: number;
  inventory?: string;
  advisories?: string;
  trustOnFirstUse?: boolean;
  concurrency: number;
  timeout: number;
  processes?: boolean;
  repoRoot?: string;
}

/** --include-passed and the gate's overrides, shared by `scan`, `serve` and `check` (whose workloads are `noun`s). */
export function addGateOptions(command: Command, noun = 'workload'): Command {
  return command
    .option('--include-passed', 'list passing and not-applicable findings too (they are always counted)')
    .addOption(new Option('--fail-on <severity>', 'gate: fail on a finding of this severity or worse (overrides the policy)').choices([...SEVERITIES, 'none']))
    .addOption(new Option('--min-score <n>', `gate: fail when a ${noun} scores below n (0-100)`).argParser(parseScore))
    .addOption(new Option('--min-depth <n>', `gate: fail when a ${noun} holds fewer than n layers`).argParser(parseIntOption('--min-depth', 0, 9)));
}

/** Registers the flags that decide what is scanned and how (not where the report goes). */
export function addScanSelectionOptions(command: Command): Command {
  return addGateOptions(command)
    .addOption(
      new Option('--docker <endpoint>', 'engine to scan: unix:///path, tcp://host:port, ssh://user@host (repeatable; default $DOCKER_HOST, else the local socket)')
        .argParser(collect),
    )
    .option('-a, --all', 'include created and stopped containers (created ones are deployment candidates)')
    .option('-p, --policy <file|name>', `policy file, or a built-in policy: ${BUILTIN_POLICIES.join(', ')}`, 'default')
    .option('-i, --inventory <file>', 'hosts and engines to scan: palisade.yaml, ~/.ssh/config or an Ansible inventory (default ./palisade.yaml when present)')
    .option('--advisories <dir>', 'offline OSV advisory folder (see `palisade advisories fetch`) to match host packages against')
    .option('--trust-on-first-use', 'DANGEROUS: accept and record the SSH host key of a host seen for the first time (never a changed key)')
    .addOption(new Option('--concurrency <n>', 'parallel Engine API requests per engine, and SSH hosts scanned at once').default(16).argParser(parseIntOption('--concurrency', 1, 256)))
    .addOption(new Option('--timeout <seconds>', 'time limit for each Engine API request').default(30).argParser(parseIntOption('--timeout', 1, 3600)))
    .option(
      '--processes',
      'read each running container\'s process list, for docker/no-sshd (CIS 5.7); costs ~40-60 ms per container, serialised in dockerd',
    )
    .option('--repo-root <dir>', 'repository root for SARIF locations (default: the current folder)');
}
