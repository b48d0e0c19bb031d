// Risk: experimental daemon features are not held to the stability and
// security-review bar of released ones, and their APIs change without notice.
import { defineCheck } from '../../src/model/check.js';

export default defineCheck({
  id: 'docker/engine-experimental-disabled',
  target: 'engine',
  meta: {
    title: 'Engine does not run with experimental features',
    description:
      'The `--experimental` daemon flag turns on features that are not fully tested, may change or disappear between ' +
      'releases and get less scrutiny than stable ones. A production engine should run only released features, so ' +
      'that its behaviour and its security fixes follow the stable release notes.',
    layer: 'patching',
    severity: 'low',
    remediation:
      'Remove `"experimental": true` from /etc/docker/daemon.json (dockerd flag: `--experimental`) and restart the ' +
      'daemon. There is no `docker run` flag or Compose key: it is a daemon setting.',
    references: ['cis-docker-1.6.0:2.18', 'https://docs.docker.com/reference/cli/dockerd/'],
    messages: {
      'experimental-enabled': 'Engine {{name}} runs with experimental features enabled.',
    },
  },
  evaluate({ engine }) {
    if (!engine.experimental) return [];
    return [
      {
        messageId: 'experimental-enabled',
        data: { name: engine.name },
        evidence: { source: 'engine info', path: 'ExperimentalBuild', observed: true, expected: false },
      },
    ];
  },
});
