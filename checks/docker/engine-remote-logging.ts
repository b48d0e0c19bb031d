// Risk: container logs kept only on the host (or not at all) are lost with the
// host and can be erased by whoever compromises it, leaving no trail.
import { defineCheck } from '../../src/model/check.js';

const DEFAULT_ALLOWED = ['syslog', 'journald', 'gelf', 'fluentd', 'awslogs', 'splunk', 'gcplogs', 'logentries', 'etwlogs'];
// Drivers that write only to files under /var/lib/docker on the host itself.
const LOCAL_DRIVERS = new Set(['json-file', 'local']);

function allowedDrivers(value: unknown): string[] {
  if (!Array.isArray(value)) return DEFAULT_ALLOWED;
  return value.filter((d): d is string => typeof d === 'string').map((d) => d.trim().toLowerCase());
}

export default defineCheck({
  id: 'docker/engine-remote-logging',
  target: 'engine',
  meta: {
    title: 'Engine ships container logs to a central log service',
    description:
      "The engine's default log driver decides where the output of every container goes. With `json-file` or `local` " +
      'it stays in files on the host: an intruder with root can rewrite or delete it, and it is gone when the host is. ' +
      'With `none` nothing is kept at all. A driver that forwards to syslog, journald or a log service keeps a copy ' +
      'the host cannot quietly alter (journald counts when the journal is forwarded off the host).',
    layer: 'access',
    severity: 'low',
    remediation:
      'Set a forwarding driver in /etc/docker/daemon.json, e.g. `"log-driver": "journald"` or `"log-driver": "fluentd"` ' +
      'with its `"log-opts"` (dockerd flag: `--log-driver`), restart the daemon and recreate containers. Per container ' +
      'the driver is `docker run --log-driver` (Compose: `logging.driver`). If your central driver is another one, add ' +
      'it to the check parameter `allowedLogDrivers`.',
    references: ['cis-docker-1.6.0:2.13', 'cwe:778', 'https://docs.docker.com/engine/logging/configure/'],
    messages: {
      'no-logs': 'Engine {{name}} discards container logs (default log driver none).',
      'local-logs': 'Engine {{name}} keeps container logs only on the host (default log driver {{driver}}).',
      'driver-not-allowed': 'Engine {{name}} uses log driver {{driver}}, which is not in the allowed list ({{allowed}}).',
    },
    parameters: {
      allowedLogDrivers: {
        description: 'Default log drivers that deliver logs to a central service.',
        schema: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
        default: DEFAULT_ALLOWED,
      },
    },
  },
  appliesTo({ engine }) {
    if (engine.loggingDriver.trim() === '') return 'The engine did not report its default log driver (/info LoggingDriver).';
    return undefined;
  },
  evaluate({ engine }, ctx) {
    const driver = engine.loggingDriver.trim().toLowerCase();
    const allowed = allowedDrivers(ctx.params['allowedLogDrivers']);
    if (allowed.includes(driver)) return [];
    const evidence = { source: 'engine info', path: 'LoggingDriver', observed: engine.loggingDriver, expected: allowed };
    if (driver === 'none') return [{ messageId: 'no-logs', data: { name: engine.name }, evidence }];
    if (LOCAL_DRIVERS.has(driver)) return [{ messageId: 'local-logs', data: { name: engine.name, driver }, evidence }];
    return [
      {
        messageId: 'driver-not-allowed',
        data: { name: engine.name, driver, allowed: allowed.join(', ') },
        evidence,
      },
    ];
  },
});
