import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/non-root-user.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/non-root-user', () => {
  it.each([
    ['10001:10001', '0'],
    ['app', ''],
    ['', '10001'],
    ['', 'nobody:nogroup'],
    ['1000', 'root'],
  ])('passes container user %j with image user %j', (user, imageUser) => {
    const subject = containerSubject({ container: { user }, image: { user: imageUser } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each(['root', '0', '0:0', 'root:root', '0:10001', '000'])('fails a container explicitly run as %j', (user) => {
    const subject = containerSubject({ container: { user }, image: { user: '10001' } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['runs-as-root']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'Config.User' });
  });

  it.each(['root', '0'])('fails an image whose USER is %j', (imageUser) => {
    const subject = containerSubject({ container: { user: '' }, image: { user: imageUser } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['runs-as-root']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'image inspect', path: 'Config.User' });
  });

  it('fails when no user is set anywhere', () => {
    const subject = containerSubject({ container: { user: '' }, image: { user: '' } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['image-default-root']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'image inspect', path: 'Config.User' });
  });

  it('judges the container user when the image is gone', () => {
    const subject = containerSubject({ container: { user: 'root' }, image: null });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['runs-as-root']);
  });

  it('does not apply when the image is gone and the container sets no user', () => {
    const subject = containerSubject({ container: { user: '' }, image: null });

    const result = run(check, subject);

    expect(result.notApplicable).toMatch(/image no longer present/);
  });
});
