// Risk: a host device passed into a container gives it raw access to disks,
// consoles or hardware that the host's own isolation relies on.
import { defineCheck, type Violation } from '../../src/model/check.js';

// Docker validates rules as `<type> <major>:<minor> <access>` with type a, b or c.
const RULE = /^([abc])(?:\s+(\*|\d+):(\*|\d+)(?:\s+([rwm]+))?)?$/;

/**
 * Whether a device cgroup rule allows access to every device (of one kind or all).
 * Type `a` is treated as all devices whatever follows it, as cgroup v1 ignores
 * the rest. `c *:* m` and `b *:* m` are the engine's own defaults (mknod only,
 * no read or write), so a wildcard needs `r` or `w` to count.
 */
function allowsAllDevices(rule: string): boolean {
  const match = RULE.exec(rule.trim());
  if (match === null) return false;
  const [, type, major, minor, access] = match;
  if (type === 'a') return true;
  return major === '*' && minor === '*' && /[rw]/.test(access ?? 'rwm');
}

export default defineCheck({
  id: 'docker/no-host-devices',
  target: 'container',
  meta: {
    title: 'No host devices are exposed to the container',
    description:
      'A device passed with `--device` is the real host device: `/dev/sda` lets the container read and rewrite the ' +
      "host's disk whatever the file permissions, `/dev/mem` or `/dev/kmsg` expose the kernel, and a GPU or USB " +
      'device is shared with the host. A device cgroup rule such as `a *:* rwm` lets the container open any device ' +
      'node it can create, which with `CAP_MKNOD` (a default capability) means every device on the host.',
    layer: 'isolation',
    severity: 'medium',
    remediation:
      'Remove `--device` (Compose: `devices`) entries the workload does not need and give the rest the least ' +
      'permissions (`--device /dev/x:/dev/x:r`). Replace wildcard `--device-cgroup-rule` entries (Compose: ' +
      '`device_cgroup_rules`) with rules for the specific major and minor numbers needed (`c 189:* rw`).',
    references: [
      'cis-docker-1.6.0:5.18',
      'cwe:653',
      'cwe:250',
      'https://docs.docker.com/reference/cli/docker/container/run/#device',
      'https://docs.docker.com/reference/cli/docker/container/run/#device-cgroup-rule',
    ],
    messages: {
      'host-device': 'Container {{name}} has host device {{hostPath}} at {{containerPath}} ({{permissions}}).',
      'all-devices-rule': 'Container {{name}} has device cgroup rule "{{rule}}", which allows every device.',
    },
  },
  evaluate({ container }) {
    const violations: Violation[] = [];
    for (const device of container.devices) {
      violations.push({
        messageId: 'host-device',
        data: {
          name: container.name,
          hostPath: device.hostPath,
          containerPath: device.containerPath,
          permissions: device.permissions,
        },
        evidence: {
          source: 'container inspect',
          path: 'HostConfig.Devices[].PathOnHost',
          observed: { hostPath: device.hostPath, containerPath: device.containerPath, permissions: device.permissions },
          expected: 'no host devices',
        },
        key: device.containerPath,
      });
    }
    for (const raw of container.deviceCgroupRules) {
      const rule = raw.trim().replace(/\s+/g, ' ');
      if (!allowsAllDevices(rule)) continue;
      violations.push({
        messageId: 'all-devices-rule',
        data: { name: container.name, rule },
        evidence: {
          source: 'container inspect',
          path: 'HostConfig.DeviceCgroupRules[]',
          observed: raw,
          expected: 'rules naming specific major numbers',
        },
        key: rule,
      });
    }
    return violations;
  },
});
