import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/engine-remote-logging.js';
import { engineSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/engine-remote-logging', () => {
  it.each(['journald', 'syslog', 'fluentd', 'gelf', 'awslogs', 'splunk', 'gcplogs', 'logentries', 'etwlogs'])(
    'passes the default-allowed driver %s',
    (driver) => {
      const subject = engineSubject({ loggingDriver: driver });

      const result = run(check, subject);

      expect(result.violations).toEqual([]);
    },
  );

  it('fails the none driver with its own message', () => {
    const subject = engineSubject({ loggingDriver: 'none' });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['no-logs']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'engine info', path: 'LoggingDriver', observed: 'none' });
  });

  it.each(['json-file', 'local'])('fails the host-local driver %s', (driver) => {
    const subject = engineSubject({ loggingDriver: driver });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['local-logs']);
    expect(result.violations[0]?.data).toMatchObject({ driver });
  });

  it('fails a driver outside the allowed list', () => {
    const subject = engineSubject({ loggingDriver: 'loki' });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['driver-not-allowed']);
  });

  it('passes a driver the policy allows', () => {
    const subject = engineSubject({ loggingDriver: 'loki' });

    const result = run(check, subject, { allowedLogDrivers: ['loki', 'journald'] });

    expect(result.violations).toEqual([]);
  });

  it('fails journald when the policy allows only fluentd', () => {
    const subject = engineSubject({ loggingDriver: 'journald' });

    const result = run(check, subject, { allowedLogDrivers: ['fluentd'] });

    expect(messageIds(result)).toEqual(['driver-not-allowed']);
    expect(result.violations[0]?.evidence.expected).toEqual(['fluentd']);
  });

  it('is not applicable when the engine reports no driver', () => {
    const subject = engineSubject({ loggingDriver: '' });

    const result = run(check, subject);

    expect(result.notApplicable).toMatch(/LoggingDriver/);
  });
});
