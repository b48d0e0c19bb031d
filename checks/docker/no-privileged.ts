// Risk: a privileged container has every capability and all host devices, so
// escaping to the host is trivial.
import { defineCheck } from '../../src/model/check.js';

export default defineCheck({
  id: 'docker/no-privileged',
  target: 'container',
  meta: {
    title: 'Container is not privileged',
    description:
      'A privileged container gets all Linux capabilities, access to every host device and no seccomp, AppArmor or ' +
      'SELinux confinement. Root in it is root on the host.',
    layer: 'isolation',
    severity: 'critical',
    remediation: 'Remove `--privileged` (Compose: `privileged: true`); add back only the capabilities (`--cap-add`) and devices (`--device`) the workload needs.',
    references: ['cis-docker-1.6.0:5.5', 'cwe:250', 'https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities'],
    messages: {
      privileged: 'Container {{name}} runs privileged.',
    },
  },
  evaluate({ container }) {
    if (!container.privileged) return [];
    return [
      {
        messageId: 'privileged',
        data: { name: container.name },
        evidence: { source: 'container inspect', path: 'HostConfig.Privileged', observed: true, expected: false },
      },
    ];
  },
});
