// `scan --shard i/n`: a stable split of the targets between n scanners by a
// hash of each target's identity (inventory host name, else engine endpoint),
// so every target lands in exactly one shard whatever the inventory's order.
// Shard numbers are 1-based (1/20 .. 20/20); `auto/n` takes Kubernetes'
// 0-based JOB_COMPLETION_INDEX and adds one.
import { createHash } from 'node:crypto';

import { UsageError } from '../errors.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export function parseShard(value: string, env: NodeJS.ProcessEnv): Shard {
  const m = /^(auto|\d+)\/(\d+)$/.exec(value.trim());
  if (!m?.[1] || !m[2]) throw new UsageError(`--shard ${JSON.stringify(value)}: expected i/n (1-based, e.g. 3/20) or auto/n`);
  const count = Number(m[2]);
  if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new UsageError(`--shard ${value}: n must be from 1 to 10000`);
  let index: number;
  if (m[1] === 'auto') {
    const raw = env['JOB_COMPLETION_INDEX'];
    if (raw === undefined || !/^\d+$/.test(raw)) {
      throw new UsageError('--shard auto/n needs JOB_COMPLETION_INDEX (0-based, set by a Kubernetes Indexed Job)');
    }
    index = Number(raw) + 1;
    if (index > count) throw new UsageError(`--shard auto/${count}: JOB_COMPLETION_INDEX=${raw} is not below ${count}`);
  } else {
    index = Number(m[1]);
    if (index < 1 || index > count) {
      throw new UsageError(`--shard ${value}: shards are numbered 1 to ${count} (1-based; for a 0-based JOB_COMPLETION_INDEX use --shard auto/${count})`);
    }
  }
  return { index, count };
}

/** The 1-based shard a target identity belongs to among `count`. */
export function shardOf(identity: string, count: number): number {
  const digest = createHash('sha256').update(identity).digest();
  return Number(digest.readBigUInt64BE(0) % BigInt(count)) + 1;
}

export function inShard(identity: string, shard: Shard): boolean {
  return shardOf(identity, shard.count) === shard.index;
}

/** What a target is known by for sharding: its inventory host (an engine goes with its host), else its endpoint. */
export function targetIdentity(target: { host?: string; display: string }): string {
  return target.host !== undefined ? `host:${target.host}` : `docker:${target.display}`;
}

/** The inventory hosts and Docker targets of one shard; a host's engine stays with the host. */
export function shardTargets<H extends { name: string }, T extends { host?: string; display: string }>(
  hosts: readonly H[],
  targets: readonly T[],
  shard: Shard,
): { hosts: H[]; targets: T[] } {
  return {
    hosts: hosts.filter((h) => inShard(`host:${h.name}`, shard)),
    targets: targets.filter((t) => inShard(targetIdentity(t), shard)),
  };
}
