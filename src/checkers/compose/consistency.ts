// The cross-reference checks `docker compose config` makes on the active
// services (compose-go loader/validate.go): image or build, networks and
// volumes that exist, network_mode vs networks, healthcheck.test form, and
// limits set twice with different values.

import { ComposeError } from './errors.js';
import type { ResolvedService, SourcePosition } from './types.js';

type Locate = (path: string) => SourcePosition | undefined;

export function checkConsistency(
  services: ResolvedService[],
  all: ReadonlySet<string>,
  sections: { networks: Record<string, unknown>; volumes: Record<string, unknown>; secrets: Record<string, unknown>; configs: Record<string, unknown> },
  locate: Locate,
  fallbackFile: string,
): void {
  const fail = (msg: string, field: string): never => {
    const p = locate(field);
    throw new ComposeError(msg, { file: p?.file ?? fallbackFile, line: p?.line, column: p?.column, field });
  };
  for (const s of services) {
    const at = `services.${s.name}`;
    const q = JSON.stringify(s.name);
    if (s.image === undefined && s.build === undefined && s.raw.provider === undefined) {
      fail(`service ${q} has neither an image nor a build context; add image: or build:`, at);
    }
    if (s.build?.dockerfile_inline !== undefined && s.build.dockerfile !== undefined) {
      fail(`service ${q} declares both dockerfile and dockerfile_inline; keep one`, `${at}.build`);
    }
    if (s.network_mode !== undefined && s.networks && Object.keys(s.networks).length > 0) {
      fail(`service ${q} declares both network_mode and networks, which exclude each other; keep one`, `${at}.network_mode`);
    }
    for (const n of Object.keys(s.networks ?? {})) {
      if (n !== 'default' && !Object.prototype.hasOwnProperty.call(sections.networks, n)) {
        fail(`service ${q} refers to undefined network ${JSON.stringify(n)}; declare it under the top-level networks:`, `${at}.networks.${n}`);
      }
    }
    for (const ns of ['network_mode', 'ipc', 'pid', 'uts', 'cgroup'] as const) {
      const v = s[ns];
      if (typeof v === 'string' && v.startsWith('service:') && !all.has(v.slice(8))) {
        fail(`service ${q} uses ${ns} "${v}" but there is no service ${JSON.stringify(v.slice(8))}`, `${at}.${ns}`);
      }
    }
    const test = s.healthcheck?.test;
    if (test && test.length > 0 && !['CMD', 'CMD-SHELL', 'NONE'].includes(test[0]!)) {
      fail('healthcheck.test must start with "CMD", "CMD-SHELL" or "NONE"', `${at}.healthcheck.test`);
    }
    (s.volumes ?? []).forEach((v, i) => {
      if (v.type === 'volume' && v.source && !Object.prototype.hasOwnProperty.call(sections.volumes, v.source)) {
        fail(`service ${q} refers to undefined volume ${JSON.stringify(v.source)}; declare it under the top-level volumes:`, `${at}.volumes.${i}`);
      }
    });
    for (const kind of ['secrets', 'configs'] as const) {
      (s[kind] ?? []).forEach((m, i) => {
        if (!Object.prototype.hasOwnProperty.call(sections[kind], m.source)) {
          fail(`service ${q} refers to undefined ${kind.slice(0, -1)} ${JSON.stringify(m.source)}; declare it under the top-level ${kind}:`, `${at}.${kind}.${i}`);
        }
      });
    }
    const limits = s.deploy?.resources?.limits;
    const reservations = s.deploy?.resources?.reservations;
    const twice = (a: unknown, b: unknown, field: string, other: string): void => {
      if (a !== undefined && b !== undefined && a !== b) fail(`service ${q} sets ${field} and ${other} to different values; keep one`, `${at}.${field}`);
    };
    twice(s.cpus, limits?.cpus, 'cpus', 'deploy.resources.limits.cpus');
    twice(s.mem_limit, limits?.memory, 'mem_limit', 'deploy.resources.limits.memory');
    twice(s.mem_reservation, reservations?.memory, 'mem_reservation', 'deploy.resources.reservations.memory');
    twice(s.pids_limit, limits?.pids, 'pids_limit', 'deploy.resources.limits.pids');
  }
}
