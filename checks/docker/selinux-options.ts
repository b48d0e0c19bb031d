// Risk: a container with SELinux labelling disabled is no longer kept out of
// host files and other containers' data by its process and file labels.
import { defineCheck } from '../../src/model/check.js';
import { parseSecurityOpt } from '../../src/lib/security-opt.js';

// SELinux types that are not confined at all: `spc_t` is the "super privileged
// container" type and `unconfined_t` the ordinary unconfined domain.
const UNCONFINED_TYPES = new Set(['spc_t', 'unconfined_t']);

export default defineCheck({
  id: 'docker/selinux-options',
  target: 'container',
  meta: {
    title: 'Container keeps its SELinux labels',
    description:
      'On an SELinux host the engine runs each container as `container_t` with its own MCS category, so a process ' +
      "that escapes the container still cannot read host files or another container's data. `label=disable`, an " +
      'unconfined type or `--privileged` turn that off.',
    layer: 'confinement',
    severity: 'medium',
    remediation:
      'Remove `--security-opt label=disable` and `--security-opt label=type:spc_t` (Compose: those entries under ' +
      '`security_opt`) and `--privileged` (Compose: `privileged: true`); relabel bind mounts with `:z` or `:Z` ' +
      '(Compose: the same suffix in `volumes`) instead of disabling labels.',
    references: [
      'cis-docker-1.6.0:5.3',
      'cwe:693',
      'https://docs.docker.com/reference/cli/docker/container/run/#security-opt',
      'https://docs.docker.com/engine/storage/bind-mounts/#configure-the-selinux-label',
    ],
    engineFact: 'SELinux labelling',
    messages: {
      'label-disabled': 'Container {{name}} runs with SELinux labelling disabled (label=disable).',
      'unconfined-type': 'Container {{name}} runs with the unconfined SELinux type {{type}}.',
      privileged: 'Container {{name}} runs privileged, which disables SELinux labelling.',
    },
  },
  appliesTo({ engine }) {
    if (!engine.security.selinux) return 'SELinux is not enabled on the engine (dockerd runs without --selinux-enabled).';
    return undefined;
  },
  evaluate({ container }) {
    const data = { name: container.name };
    if (container.privileged) {
      return [
        {
          messageId: 'privileged',
          data,
          evidence: { source: 'container inspect', path: 'HostConfig.Privileged', observed: true, expected: false },
        },
      ];
    }
    const labels = parseSecurityOpt(container.securityOpt).labels.map((l) => l.trim());
    if (labels.includes('disable')) {
      return [
        {
          messageId: 'label-disabled',
          data,
          evidence: {
            source: 'container inspect',
            path: 'HostConfig.SecurityOpt',
            observed: container.securityOpt,
            expected: 'no label=disable',
          },
        },
      ];
    }
    const type = labels.find((l) => l.startsWith('type:') && UNCONFINED_TYPES.has(l.slice('type:'.length)));
    if (type !== undefined) {
      return [
        {
          messageId: 'unconfined-type',
          data: { ...data, type: type.slice('type:'.length) },
          evidence: {
            source: 'container inspect',
            path: 'HostConfig.SecurityOpt',
            observed: container.securityOpt,
            expected: 'a confined SELinux type',
          },
        },
      ];
    }
    return [];
  },
});
