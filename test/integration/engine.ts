// Shared set-up for integration tests against the real local Docker Engine.
// When PALISADE_REQUIRE_INTEGRATION=1 (CI), a missing engine fails the tests;
// otherwise they are skipped, so `npm test` works on a laptop without Docker.
import { randomBytes } from 'node:crypto';

import Docker from 'dockerode';

export const REQUIRE = process.env['PALISADE_REQUIRE_INTEGRATION'] === '1';
export const TEST_IMAGE = 'palisade-test/busybox:1';
export const SOCKET = process.env['PALISADE_TEST_DOCKER_SOCKET'] ?? '/var/run/docker.sock';

export const docker = new Docker({ socketPath: SOCKET });

/** Whether the engine answers and has the test image (scripts/setup-integration.sh makes it). */
export async function engineReady(): Promise<{ ok: boolean; why?: string }> {
  try {
    await docker.ping();
  } catch (err) {
    return { ok: false, why: `no Docker Engine at ${SOCKET}: ${String(err)}` };
  }
  try {
    await docker.getImage(TEST_IMAGE).inspect();
  } catch {
    return { ok: false, why: `test image ${TEST_IMAGE} missing; run scripts/setup-integration.sh` };
  }
  return { ok: true };
}

/** Resolves readiness once per file; throws in CI when the engine is missing. */
export async function requireEngine(): Promise<boolean> {
  const ready = await engineReady();
  if (!ready.ok && REQUIRE) throw new Error(`PALISADE_REQUIRE_INTEGRATION=1 but ${ready.why}`);
  return ready.ok;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export async function removeContainers(names: readonly string[]): Promise<void> {
  await Promise.all(
    names.map(async (name) => {
      try {
        await docker.getContainer(name).remove({ force: true });
      } catch {
        // already gone
      }
    }),
  );
}
