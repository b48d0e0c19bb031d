// Risk: a container without an AppArmor profile loses the mandatory access
// control that blocks writes to /proc, /sys and mount operations after a breakout.
//
// Not applicable on engines without AppArmor (RHEL, Fedora, most SELinux hosts):
// there the Engine leaves AppArmorProfile empty for every container because no
// profile can be applied. docker-bench-security's 5.2 still warns "No
// AppArmorProfile Found" on such hosts, a false finding this check avoids.
import { defineCheck } from '../../src/model/check.js';
import { parseSecurityOpt } from '../../src/lib/security-opt.js';

export default defineCheck({
  id: 'docker/apparmor-profile',
  target: 'container',
  meta: {
    title: 'Container runs under an AppArmor profile',
    description:
      "AppArmor confines what a container's processes may do even as root: the default `docker-default` profile " +
      'denies writes to most of /proc and /sys, mounting and ptrace across profiles. Running unconfined (explicitly, ' +
      'or through `--privileged`) removes that layer, so a process that escapes other controls meets nothing else.',
    layer: 'confinement',
    severity: 'medium',
    remediation:
      'Remove `--security-opt apparmor=unconfined` (Compose: `security_opt: ["apparmor=unconfined"]`) and ' +
      '`--privileged` (Compose: `privileged: true`); to use a custom profile, load it on the host and run with ' +
      '`--security-opt apparmor=<profile>` (Compose: `security_opt: ["apparmor=<profile>"]`).',
    references: [
      'cis-docker-1.6.0:5.2',
      'cwe:693',
      'https://docs.docker.com/engine/security/apparmor/',
      'https://docs.docker.com/reference/cli/docker/container/run/#security-opt',
    ],
    runtimeFact: 'the AppArmor profile the engine applies',
    messages: {
      unconfined: 'Container {{name}} runs without AppArmor confinement (apparmor=unconfined).',
      privileged: 'Container {{name}} runs privileged, which disables its AppArmor profile.',
      'no-profile': 'Container {{name}} has no AppArmor profile although the engine supports AppArmor.',
    },
  },
  appliesTo({ engine }) {
    if (!engine.security.apparmor) return 'AppArmor is not enabled on the engine, so no container can have an AppArmor profile.';
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
    const requested = parseSecurityOpt(container.securityOpt).apparmor;
    if (requested === 'unconfined') {
      return [
        {
          messageId: 'unconfined',
          data,
          evidence: {
            source: 'container inspect',
            path: 'HostConfig.SecurityOpt',
            observed: container.securityOpt,
            expected: 'no apparmor=unconfined',
          },
        },
      ];
    }
    if (container.appArmorProfile === 'unconfined') {
      return [
        {
          messageId: 'unconfined',
          data,
          evidence: { source: 'container inspect', path: 'AppArmorProfile', observed: 'unconfined', expected: 'docker-default' },
        },
      ];
    }
    if (container.appArmorProfile.trim() === '') {
      return [
        {
          messageId: 'no-profile',
          data,
          evidence: { source: 'container inspect', path: 'AppArmorProfile', observed: '', expected: 'docker-default' },
        },
      ];
    }
    return [];
  },
});
