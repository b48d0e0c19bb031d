import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/no-shared-mount-propagation.js';
import type { MountFacts } from '../../../src/model/facts.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

function bind(destination: string, propagation: string): MountFacts {
  return { type: 'bind', source: `/srv${destination}`, destination, readOnly: false, propagation };
}

describe('checks/docker/no-shared-mount-propagation', () => {
  it.each(['rprivate', 'private', 'rslave', 'slave', ''])('passes a mount with %j propagation', (propagation) => {
    const subject = containerSubject({ container: { mounts: [bind('/data', propagation)] } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each(['shared', 'rshared'])('fails a mount with %s propagation', (propagation) => {
    const subject = containerSubject({ container: { mounts: [bind('/data', propagation)] } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['shared-propagation']);
    expect(result.violations[0]?.key).toBe('/data');
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'Mounts[].Propagation' });
  });

  it('reports each shared mount once, keyed by destination', () => {
    const subject = containerSubject({
      container: { mounts: [bind('/a', 'rshared'), bind('/b', 'rprivate'), bind('/c', 'shared')] },
    });

    const result = run(check, subject);

    expect(result.violations.map((v) => v.key)).toEqual(['/a', '/c']);
  });
});
