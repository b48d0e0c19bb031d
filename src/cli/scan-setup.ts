// What `palisade scan` and `palisade serve` share: the flags that say what to
// scan and how, and turning them into the scan's options. One place, so the
// scheduler runs exactly the scan the command line would. The inventory,
// advisory and scan modules load only when a scan is prepared.
import { existsSync } from 'node:fs';
import path from 'node:path';

import { InvalidArgumentError, Option, type Command } from 'commander';

import { SEVERITIES, type Severity } from '../model/check.js';
import { packageVersion } from '../paths.js';
import { BUILTIN_POLICIES, loadPolicy, type ResolvedPolicy } from '../policy/policy.js';
import type { Inventory } from '../inventory/types.js';
import type { DockerTarget, ScanOptions } from '../scan/scan.js';

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

/** What the command line needs of its environment to prepare a scan. */
export interface ScanSetupIO {
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  now: () => Date;
}

export function parseIntOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

function parseScore(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError('must be a number from 0 to 100');
  return n;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Registers the flags that decide what is scanned and how (not where the report goes). */
export function addScanSelectionOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--docker <endpoint>', 'engine to scan: unix:///path, tcp://host:port, ssh://user@host (repeatable; default $DOCKER_HOST, else the local socket)')
        .argParser(collect),
    )
    .option('-a, --all', 'include created and stopped containers (created ones are deployment candidates)')
    .option('-p, --policy <file|name>', `policy file, or a built-in policy: ${BUILTIN_POLICIES.join(', ')}`, 'default')
    .option('--include-passed', 'list passing and not-applicable findings too (they are always counted)')
    .addOption(new Option('--fail-on <severity>', 'gate: fail on a finding of this severity or worse (overrides the policy)').choices([...SEVERITIES, 'none']))
    .addOption(new Option('--min-score <n>', 'gate: fail when a workload scores below n (0-100)').argParser(parseScore))
    .addOption(new Option('--min-depth <n>', 'gate: fail when a workload holds fewer than n layers').argParser(parseIntOption('--min-depth', 0, 9)))
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

/** `--inventory FILE`, else `palisade.yaml` in the current folder when there is one. */
async function inventoryFor(flags: ScanSelectionFlags, io: ScanSetupIO): Promise<Inventory | undefined> {
  const { DEFAULT_INVENTORY_FILE, loadInventory } = await import('../inventory/load.js');
  if (flags.inventory === undefined && !existsSync(path.join(io.cwd, DEFAULT_INVENTORY_FILE))) return undefined;
  const inventory = loadInventory(flags.inventory, { cwd: io.cwd, env: io.env });
  for (const w of inventory.warnings) io.stderr.write(`palisade: inventory: ${w}\n`);
  return inventory;
}

/**
 * Docker engines: `--docker` values and the inventory's engines; with
 * neither (and no inventory hosts), DOCKER_HOST or the local socket.
 */
async function dockerTargetsFor(flags: ScanSelectionFlags, io: ScanSetupIO, inventory: Inventory | undefined): Promise<DockerTarget[]> {
  const { createDockerTargets, inventoryDockerTargets } = await import('../scan/scan.js');
  const fromInventory = inventory ? inventoryDockerTargets(inventory.hosts, inventory.engines, io.env) : [];
  const explicit = flags.docker ?? [];
  if (explicit.length > 0) return [...createDockerTargets(explicit, io.env), ...fromInventory];
  if (inventory && (inventory.hosts.length > 0 || inventory.engines.length > 0)) return fromInventory;
  return createDockerTargets([], io.env);
}

/** The policy with the command line's gate overrides applied. */
export function policyFor(flags: ScanSelectionFlags): ResolvedPolicy {
  const policy = loadPolicy(flags.policy);
  if (flags.failOn !== undefined) policy.gate.failOn = flags.failOn;
  if (flags.minScore !== undefined) policy.gate.minScore = flags.minScore;
  return policy;
}

/**
 * Reads the inventory and advisories and resolves the targets; everything
 * that can be wrong with the input throws here, before anything is scanned.
 * `now` is filled in by the caller at the moment the scan starts.
 */
export async function prepareScan(
  flags: ScanSelectionFlags,
  io: ScanSetupIO,
  policy: ResolvedPolicy = policyFor(flags),
): Promise<Omit<ScanOptions, 'now'>> {
  const inventory = await inventoryFor(flags, io);
  const targets = await dockerTargetsFor(flags, io, inventory);
  const advisories =
    flags.advisories !== undefined ? await (await import('../advisories/osv.js')).loadAdvisories(path.resolve(io.cwd, flags.advisories)) : undefined;
  for (const p of advisories?.problems ?? []) io.stderr.write(`palisade: advisories: ${p.source}: ${p.reason} (skipped)\n`);
  return {
    targets,
    policy,
    all: flags.all === true,
    processes: flags.processes === true,
    concurrency: flags.concurrency,
    timeoutMs: flags.timeout * 1000,
    repoRoot: path.resolve(io.cwd, flags.repoRoot ?? '.'),
    includePassed: flags.includePassed === true,
    version: packageVersion,
    hosts: inventory?.hosts ?? [],
    trustOnFirstUse: flags.trustOnFirstUse === true,
    advisories,
    env: io.env,
    minDepth: flags.minDepth,
  };
}
