// What `palisade scan` and `palisade serve` share: turning the flags of
// scan-options.ts into the scan's options. One place, so the scheduler runs
// exactly the scan the command line would. Loaded inside the actions; the
// inventory, advisory and scan modules load only when a scan is prepared.
import { existsSync } from 'node:fs';
import path from 'node:path';

import { packageVersion } from '../paths.js';
import { loadPolicy, type ResolvedPolicy } from '../policy/policy.js';
import { DEFAULT_INVENTORY_FILE, type Inventory } from '../inventory/types.js';
import type { DockerTarget, ScanOptions } from '../scan/scan.js';
import type { ScanSelectionFlags } from './scan-options.js';
import { stderrLine } from './stderr.js';

/** What the command line needs of its environment to prepare a scan. */
export interface ScanSetupIO {
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  now: () => Date;
}

/** `--inventory FILE`, else `palisade.yaml` in the current folder when there is one. */
async function inventoryFor(flags: ScanSelectionFlags, io: ScanSetupIO): Promise<Inventory | undefined> {
  if (flags.inventory === undefined && !existsSync(path.join(io.cwd, DEFAULT_INVENTORY_FILE))) return undefined;
  const { loadInventory } = await import('../inventory/load.js');
  const inventory = loadInventory(flags.inventory, { cwd: io.cwd, env: io.env });
  for (const w of inventory.warnings) io.stderr.write(stderrLine(`inventory: ${w}`));
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
export function policyFor(flags: Pick<ScanSelectionFlags, 'policy' | 'failOn' | 'minScore'>): ResolvedPolicy {
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
  for (const p of advisories?.problems ?? []) io.stderr.write(stderrLine(`advisories: ${p.source}: ${p.reason} (skipped)`));
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
