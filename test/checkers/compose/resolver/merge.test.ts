import { describe, expect, it } from 'vitest';

import { fixture, resolveFixture, service } from './helpers.js';

const both = () => resolveFixture('merge', { files: ['compose.yaml', 'override.yaml'] });

describe('src/checkers/compose/merge (several -f files)', () => {
  it('merges mappings by adding missing entries and overriding conflicting ones (compose-spec 13-merge.md "Mapping")', () => {
    const web = service(both(), 'web');

    expect(web.image).toBe('nginx:1.27');
    expect(web.privileged).toBe(true);
    expect(web.labels).toEqual({ tier: 'back' });
    expect(web.healthcheck?.interval).toBe('30s');
  });

  it('appends sequences from the overriding file (compose-spec 13-merge.md "Sequence")', () => {
    const web = service(both(), 'web');

    expect(web.dns).toEqual(['1.1.1.1', '8.8.8.8']);
    expect(web.cap_add).toEqual(['NET_BIND_SERVICE', 'SYS_ADMIN']);
  });

  it('replaces command and healthcheck.test instead of appending (compose-spec 13-merge.md "Shell commands")', () => {
    const web = service(both(), 'web');

    expect(web.command).toEqual(['nginx', '-T']);
    expect(web.healthcheck?.test).toEqual(['CMD-SHELL', 'true']);
  });

  it('merges ports by {ip, target, published, protocol} and volumes by target (compose-spec 13-merge.md "Unique resources")', () => {
    const web = service(both(), 'web');

    expect(web.ports).toEqual([
      { mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' },
      { mode: 'ingress', host_ip: '127.0.0.1', target: 9000, published: '9000', protocol: 'tcp' },
      { mode: 'ingress', target: 443, published: '8443', protocol: 'tcp' },
    ]);
    expect(web.volumes?.map((v) => [v.target, v.source])).toEqual([
      ['/usr/share/nginx/html', fixture('merge', 'html')],
      ['/var/cache/nginx', fixture('merge', 'other')],
    ]);
  });

  it('removes a value tagged !reset and replaces one tagged !override (compose-spec 13-merge.md "Reset value", "Replace value")', () => {
    const web = service(resolveFixture('merge', { files: ['compose.yaml', 'override.yaml', 'reset.yaml'] }), 'web');

    expect(web.environment).toEqual({ LEVEL: 'debug' });
    expect(web.ports).toBeUndefined();
    expect(web.dns).toEqual(['9.9.9.9']);
  });

  it('keeps logging options only when both files name the same driver (compose-go mergeLogging)', () => {
    const web = service(both(), 'web');

    expect(web.logging).toEqual({ driver: 'syslog' });
  });

  it('locates each winning value in the file that set it', () => {
    const p = both();

    expect(p.locate('services.web.privileged')).toEqual({ file: fixture('merge', 'override.yaml'), line: 4, column: 5 });
    expect(p.locate('services.web.image')).toEqual({ file: fixture('merge', 'compose.yaml'), line: 3, column: 5 });
    expect(p.locate('services.web.cap_add.1')).toEqual({ file: fixture('merge', 'override.yaml'), line: 16, column: 9 });
    expect(p.locate('services.web.volumes.1')).toEqual({ file: fixture('merge', 'override.yaml'), line: 12, column: 9 });
    expect(p.locate('services.web.ports.0')).toEqual({ file: fixture('merge', 'override.yaml'), line: 9, column: 9 });
    expect(p.locate('services.web.ports.1.host_ip')).toEqual({ file: fixture('merge', 'compose.yaml'), line: 10, column: 9 });
    expect(p.locate('services.web')).toEqual({ file: fixture('merge', 'compose.yaml'), line: 2, column: 3 });
    expect(p.locate('services.web.not_there')).toEqual(p.locate('services.web'));
    expect(p.files).toEqual([fixture('merge', 'compose.yaml'), fixture('merge', 'override.yaml')]);
  });
});
