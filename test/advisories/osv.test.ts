import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createAdvisoryDatabase, loadAdvisories, matchAdvisories } from '../../src/advisories/osv.js';
import type { AdvisoryDatabase, MatchRequest, PackageToMatch } from '../../src/advisories/osv.js';
import { InternalError, UsageError } from '../../src/errors.js';
import { buildZip } from './zip-builder.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'advisories');
const OSV = join(FIXTURES, 'osv');

function pkg(name: string, sourceName: string, version: string, sourceVersion?: string): PackageToMatch {
  return sourceVersion === undefined ? { name, sourceName, version } : { name, sourceName, version, sourceVersion };
}

function ids(db: AdvisoryDatabase, request: MatchRequest): [string, string, string | undefined][] {
  return matchAdvisories(db, request).matches.map((m) => [m.packageName, m.advisoryId, m.fixedVersion]);
}

let dir: string;
let looseDb: AdvisoryDatabase;

describe('src/advisories/osv', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-osv-'));
    looseDb = await loadAdvisories(OSV);
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('loadAdvisories', () => {
    it('reads a folder of OSV JSON files in per-ecosystem subfolders', () => {
      const db = looseDb;

      expect(db.problems).toEqual([]);
      expect(db.advisoryCount).toBe(7);
      expect(db.files).toEqual([
        join('Alpine', 'ALPINE-CVE-2024-6387.json'),
        join('Debian', 'DSA-5514-1.json'),
        join('Debian', 'DSA-5724-1.json'),
        join('Rocky Linux', 'RLSA-2024-2447.json'),
        join('Rocky Linux', 'RLSA-2024-4312.json'),
        join('Ubuntu', 'UBUNTU-CVE-2024-6387.json'),
        join('Ubuntu', 'USN-6859-1.json'),
      ]);
      expect([...db.index.keys()].sort()).toEqual(['Alpine:v3.19', 'Alpine:v3.20', 'Debian:11', 'Debian:12', 'Rocky Linux:9', 'Ubuntu:22.04:LTS', 'Ubuntu:24.04:LTS']);
      expect([...(db.index.get('Rocky Linux:9')?.keys() ?? [])].sort()).toEqual([
        'openssh',
        'openssh-clients',
        'openssh-server',
        'openssl',
        'openssl-devel',
        'openssl-libs',
      ]);
    });

    it('reads the <Ecosystem>/all.zip archives OSV publishes, with the same result', async () => {
      const root = join(dir, 'archives');
      for (const family of readdirSync(OSV)) {
        mkdirSync(join(root, family), { recursive: true });
        const entries = readdirSync(join(OSV, family)).map((name) => ({ name, content: readFileSync(join(OSV, family, name)) }));
        writeFileSync(join(root, family, 'all.zip'), buildZip(entries));
      }
      writeFileSync(join(root, 'ecosystems.txt'), 'Alpine\nDebian\nRocky Linux\nUbuntu\n');

      const db = await loadAdvisories(root);

      expect(db.problems).toEqual([]);
      expect(db.files).toEqual([join('Alpine', 'all.zip'), join('Debian', 'all.zip'), join('Rocky Linux', 'all.zip'), join('Ubuntu', 'all.zip')]);
      expect(db.advisoryCount).toBe(looseDb.advisoryCount);
      const host = { ecosystem: 'Debian:12', format: 'dpkg', packages: [pkg('libc6', 'glibc', '2.36-9+deb12u1')] } as const;
      expect(matchAdvisories(db, host)).toEqual(matchAdvisories(looseDb, host));
      expect(matchAdvisories(db, host).matches[0]?.advisoryId).toBe('DSA-5514-1');
    });

    it('keeps only the entries the requested ecosystems match', async () => {
      const db = await loadAdvisories(OSV, { ecosystems: ['Debian:12'] });

      expect([...db.index.keys()]).toEqual(['Debian:12']);
      expect(db.advisoryCount).toBe(2);
    });

    it('lists unreadable records as problems and loads the rest', async () => {
      const db = await loadAdvisories(join(FIXTURES, 'malformed'));

      expect(db.problems.map((p) => p.source)).toEqual(['no-id.json', 'not-json.json', 'two-keys-in-one-event.json']);
      expect(db.problems[2]?.reason).toMatch(/TEST-BAD-EVENT: Debian:12\/bash: event must have exactly one of/);
      expect(db.advisoryCount).toBe(1);
      expect([...(db.index.get('Debian:12')?.keys() ?? [])]).toEqual(['curl']);
    });

    it('skips withdrawn records', async () => {
      const db = await loadAdvisories(join(FIXTURES, 'malformed'));

      const curl = db.index.get('Debian:12')?.get('curl')?.map((e) => e.advisory.id);

      expect(curl).toEqual(['TEST-BAD-EVENT']);
    });

    it('lists a corrupt archive as a problem', async () => {
      const root = join(dir, 'corrupt');
      mkdirSync(join(root, 'Debian'), { recursive: true });
      writeFileSync(join(root, 'Debian', 'all.zip'), '<html>403 Forbidden</html>');

      const db = await loadAdvisories(root);

      expect(db.problems).toEqual([{ source: join('Debian', 'all.zip'), reason: expect.stringMatching(/not a ZIP archive/) as string }]);
    });

    it('skips hidden files such as the download manifest', async () => {
      const root = join(dir, 'hidden');
      mkdirSync(root, { recursive: true });
      writeFileSync(join(root, '.palisade-manifest.json'), '{"format":"palisade-advisories/1","entries":[]}');

      const db = await loadAdvisories(root);

      expect(db.files).toEqual([]);
      expect(db.problems).toEqual([]);
    });

    it('throws UsageError for a directory that does not exist', async () => {
      const loading = loadAdvisories(join(dir, 'missing'));

      await expect(loading).rejects.toThrow(UsageError);
    });

    it('keeps the most recently modified copy of a record found twice', () => {
      const older = { id: 'TEST-DUP', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'Debian:12', name: 'old' }, ranges: [] }] };
      const newer = { ...older, modified: '2024-02-01T00:00:00Z', affected: [{ package: { ecosystem: 'Debian:12', name: 'new' }, ranges: [] }] };

      const db = createAdvisoryDatabase([newer, older]);

      expect([...(db.index.get('Debian:12')?.keys() ?? [])]).toEqual(['new']);
    });
  });

  describe('matchAdvisories on real advisories', () => {
    it.each([
      // Debian entries name source packages; epochs count.
      [pkg('openssh-server', 'openssh', '1:9.2p1-2+deb12u2'), [['openssh-server', 'DSA-5724-1', '1:9.2p1-2+deb12u3']]],
      [pkg('openssh-client', 'openssh', '1:9.2p1-2+deb12u3'), []],
      [pkg('openssh-server', 'openssh', '1:9.2p1-2+deb12u3~1'), [['openssh-server', 'DSA-5724-1', '1:9.2p1-2+deb12u3']]],
      [pkg('openssh-server', 'openssh', '9.9p1-1'), [['openssh-server', 'DSA-5724-1', '1:9.2p1-2+deb12u3']]],
      [pkg('libc6', 'glibc', '2.36-9+deb12u2'), [['libc6', 'DSA-5514-1', '2.36-9+deb12u3']]],
      // `deb12u10` is newer than `deb12u3`, though it sorts before it as a string.
      [pkg('libc6', 'glibc', '2.36-9+deb12u10'), []],
      [pkg('libc6', 'glibc', '2.36-9'), [['libc6', 'DSA-5514-1', '2.36-9+deb12u3']]],
      // A binNMU: the source version is what the advisory speaks of.
      [pkg('libc-bin', 'glibc', '2.36-9+deb12u3+b1', '2.36-9+deb12u3'), []],
      [pkg('libc-bin', 'glibc', '2.36-9+deb12u2+b1', '2.36-9+deb12u2'), [['libc-bin', 'DSA-5514-1', '2.36-9+deb12u3']]],
      // The binary name alone does not match a Debian entry.
      [pkg('glibc', 'eglibc', '2.13-38'), []],
    ])('Debian:12 %o', (installed, expected) => {
      const request = { ecosystem: 'Debian:12', format: 'dpkg', packages: [installed] } as const;

      const result = ids(looseDb, request);

      expect(result).toEqual(expected);
    });

    it.each([
      // `ubuntu0.6` is older than `ubuntu0.10`, though it sorts after it as a string.
      [
        pkg('openssh-server', 'openssh', '1:8.9p1-3ubuntu0.6'),
        [
          ['openssh-server', 'UBUNTU-CVE-2024-6387', '1:8.9p1-3ubuntu0.10'],
          ['openssh-server', 'USN-6859-1', '1:8.9p1-3ubuntu0.10'],
        ],
      ],
      [pkg('openssh-server', 'openssh', '1:8.9p1-3ubuntu0.10'), []],
      // Only the 22.04 entry applies: 24.04's fix is not this host's.
      [pkg('openssh-server', 'openssh', '1:9.6p1-3ubuntu13.2'), []],
    ])('Ubuntu:22.04:LTS %o', (installed, expected) => {
      const request = { ecosystem: 'Ubuntu:22.04:LTS', format: 'dpkg', packages: [installed] } as const;

      const result = ids(looseDb, request);

      expect(result).toEqual(expected);
    });

    it.each([
      [pkg('openssh-server', 'openssh', '9.7_p1-r3'), [['openssh-server', 'ALPINE-CVE-2024-6387', '9.7_p1-r4']]],
      [pkg('openssh-server', 'openssh', '9.7_p1-r4'), []],
      // `-r10` is newer than `-r4`, though it sorts before it as a string.
      [pkg('openssh-server', 'openssh', '9.7_p1-r10'), []],
      [pkg('openssh-server', 'openssh', '9.7_rc1-r0'), [['openssh-server', 'ALPINE-CVE-2024-6387', '9.7_p1-r4']]],
      [pkg('openssh-server', 'openssh', '9.8_p1-r0'), []],
      // Below the version that introduced the regression.
      [pkg('openssh-server', 'openssh', '8.5_p1-r0'), []],
    ])('Alpine:v3.20 %o', (installed, expected) => {
      const request = { ecosystem: 'Alpine:v3.20', format: 'apk', packages: [installed] } as const;

      const result = ids(looseDb, request);

      expect(result).toEqual(expected);
    });

    it.each([
      // The fix carries an explicit epoch 0; the installed version none: the same epoch.
      [pkg('openssh-server', 'openssh', '8.7p1-38.el9'), [['openssh-server', 'RLSA-2024:4312', '0:8.7p1-38.el9_4.1']]],
      [pkg('openssh-server', 'openssh', '8.7p1-38.el9_4.1'), []],
      [pkg('openssh-server', 'openssh', '8.7p1-38.el9_4.10'), []],
      // Not listed by binary name: found through its source RPM.
      [pkg('openssh-askpass', 'openssh', '8.7p1-37.el9_3.4'), [['openssh-askpass', 'RLSA-2024:4312', '0:8.7p1-38.el9_4.1']]],
      [pkg('openssl-libs', 'openssl', '1:3.0.7-25.el9_3'), [['openssl-libs', 'RLSA-2024:2447', '1:3.0.7-27.el9']]],
      [pkg('openssl-libs', 'openssl', '1:3.0.7-27.el9'), []],
      // No epoch is epoch 0, older than the fix's epoch 1.
      [pkg('openssl-libs', 'openssl', '3.0.7-28.el9'), [['openssl-libs', 'RLSA-2024:2447', '1:3.0.7-27.el9']]],
    ])('Rocky Linux:9 %o', (installed, expected) => {
      const request = { ecosystem: 'Rocky Linux:9', format: 'rpm', packages: [installed] } as const;

      const result = ids(looseDb, request);

      expect(result).toEqual(expected);
    });

    it('reports what the advisory says about the match', () => {
      const request = { ecosystem: 'Rocky Linux:9', format: 'rpm', packages: [pkg('openssh-server', 'openssh', '8.7p1-38.el9')] } as const;

      const [match] = matchAdvisories(looseDb, request).matches;

      expect(match).toEqual({
        advisoryId: 'RLSA-2024:4312',
        aliases: [],
        upstream: ['CVE-2024-6387'],
        related: [],
        summary: 'Important: openssh security update',
        severity: [{ source: 'summary', value: 'Important' }],
        level: 'high',
        packageName: 'openssh-server',
        sourceName: 'openssh',
        advisoryPackage: 'openssh-server',
        ecosystem: 'Rocky Linux:9',
        installedVersion: '8.7p1-38.el9',
        fixedVersion: '0:8.7p1-38.el9_4.1',
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '0:8.7p1-38.el9_4.1' }] }],
      });
    });

    it('takes the Ubuntu priority as the level and keeps the CVSS vector', () => {
      const request = { ecosystem: 'Ubuntu:22.04:LTS', format: 'dpkg', packages: [pkg('openssh-server', 'openssh', '1:8.9p1-3ubuntu0.6')] } as const;

      const [cve, usn] = matchAdvisories(looseDb, request).matches;

      expect(cve?.severity).toEqual([
        { source: 'CVSS_V3', value: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H' },
        { source: 'ecosystem_specific.ubuntu_priority', value: 'high' },
      ]);
      expect(cve?.level).toBe('high');
      expect(cve?.related).toEqual(['CVE-2024-6387', 'USN-6859-1']);
      expect(usn?.upstream).toEqual(['UBUNTU-CVE-2024-6387']);
      expect(usn?.level).toBeUndefined();
    });

    it('sorts matches by package, then advisory, one per advisory and package', () => {
      const request = {
        ecosystem: 'Debian:12',
        format: 'dpkg',
        packages: [pkg('openssh-server', 'openssh', '1:9.2p1-2'), pkg('libc6', 'glibc', '2.36-9'), pkg('openssh-client', 'openssh', '1:9.2p1-2')],
      } as const;

      const result = ids(looseDb, request).map(([name, id]) => `${name} ${id}`);

      expect(result).toEqual(['libc6 DSA-5514-1', 'openssh-client DSA-5724-1', 'openssh-server DSA-5724-1']);
    });
  });

  describe('matchAdvisories range semantics', () => {
    const range = (...events: object[]) => [{ type: 'ECOSYSTEM', events }];
    const record = (id: string, ranges: object[], versions?: string[]) => ({
      id,
      modified: '2024-01-01T00:00:00Z',
      affected: [{ package: { ecosystem: 'Debian:12', name: 'demo' }, ranges, ...(versions ? { versions } : {}) }],
    });
    const db = createAdvisoryDatabase([
      record('TEST-INTRODUCED', range({ introduced: '1.5-1' }, { fixed: '1.5-3' })),
      record('TEST-TWO-BRANCHES', range({ introduced: '0' }, { fixed: '1.2-1' }, { introduced: '2.0-1' }, { fixed: '2.0-4' })),
      record('TEST-LAST-AFFECTED', range({ introduced: '0' }, { last_affected: '1.1-2' })),
      record('TEST-LIMIT', range({ introduced: '0' }, { limit: '1.0-1' })),
      record('TEST-UNFIXED', range({ introduced: '0' })),
      record('TEST-VERSIONS', [], ['0:3.0-1', '3.1-1']),
      record('TEST-SEMVER-IGNORED', [{ type: 'SEMVER', events: [{ introduced: '0' }] }]),
    ]);

    it.each([
      ['0.9-1', ['TEST-LAST-AFFECTED', 'TEST-LIMIT', 'TEST-TWO-BRANCHES', 'TEST-UNFIXED']],
      ['1.1-2', ['TEST-LAST-AFFECTED', 'TEST-TWO-BRANCHES', 'TEST-UNFIXED']],
      ['1.1-3', ['TEST-TWO-BRANCHES', 'TEST-UNFIXED']],
      ['1.2-1', ['TEST-UNFIXED']],
      ['1.5-1', ['TEST-INTRODUCED', 'TEST-UNFIXED']],
      ['1.5-3', ['TEST-UNFIXED']],
      ['2.0-3', ['TEST-TWO-BRANCHES', 'TEST-UNFIXED']],
      ['2.0-4', ['TEST-UNFIXED']],
      ['3.0-1', ['TEST-UNFIXED', 'TEST-VERSIONS']],
      ['3.0-2', ['TEST-UNFIXED']],
    ])('version %s is affected by %o', (version, expected) => {
      const request = { ecosystem: 'Debian:12', format: 'dpkg', packages: [pkg('demo', 'demo', version)] } as const;

      const result = ids(db, request).map(([, id]) => id);

      expect(result).toEqual(expected);
    });

    it('names the fix on the branch the version is on', () => {
      const request = { ecosystem: 'Debian:12', format: 'dpkg', packages: [pkg('demo', 'demo', '2.0-3')] } as const;

      const fixes = Object.fromEntries(ids(db, request).map(([, id, fixed]) => [id, fixed]));

      expect(fixes).toEqual({ 'TEST-TWO-BRANCHES': '2.0-4', 'TEST-UNFIXED': undefined });
    });
  });

  describe('matchAdvisories across product streams', () => {
    it('matches every Red Hat repository stream of the host product, and no other product', () => {
      const entry = (ecosystem: string, fixed: string) => ({ package: { ecosystem, name: 'openssl-libs' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] });
      const db = createAdvisoryDatabase([
        {
          id: 'RHSA-2024:2447',
          affected: [entry('Red Hat:enterprise_linux:8::baseos', '1:1.1.1k-12.el8_9'), entry('Red Hat:enterprise_linux:9::baseos', '1:3.0.7-27.el9')],
        },
      ]);
      const request = { ecosystem: 'Red Hat:enterprise_linux:9', format: 'rpm', packages: [pkg('openssl-libs', 'openssl', '1:3.0.7-25.el9_3')] } as const;

      const [match] = matchAdvisories(db, request).matches;

      expect(match?.ecosystem).toBe('Red Hat:enterprise_linux:9::baseos');
      expect(match?.fixedVersion).toBe('1:3.0.7-27.el9');
    });

    it('matches the SUSE module products of the host release', () => {
      const db = createAdvisoryDatabase([
        {
          id: 'SUSE-SU-2024:0000-1',
          affected: [
            { package: { ecosystem: 'SUSE:Linux Enterprise Module for Basesystem 15 SP5', name: 'openssl-3' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.8-150500.5.8.1' }] }] },
          ],
        },
      ]);
      const sp5 = { ecosystem: 'SUSE:Linux Enterprise Server 15 SP5', format: 'rpm', packages: [pkg('libopenssl3', 'openssl-3', '3.0.8-150500.5.5.1')] } as const;
      const sp4 = { ...sp5, ecosystem: 'SUSE:Linux Enterprise Server 15 SP4' };

      const onSp5 = ids(db, sp5);
      const onSp4 = ids(db, sp4);

      expect(onSp5).toEqual([['libopenssl3', 'SUSE-SU-2024:0000-1', '3.0.8-150500.5.8.1']]);
      expect(onSp4).toEqual([]);
    });
  });

  describe('matchAdvisories with versions it cannot parse', () => {
    it('reports an installed version dpkg refuses, once, instead of matching it', () => {
      const request = { ecosystem: 'Debian:12', format: 'dpkg', packages: [pkg('openssh-server', 'openssh', '1:')] } as const;

      const result = matchAdvisories(looseDb, request);

      expect(result.matches).toEqual([]);
      expect(result.unevaluated).toEqual([
        { packageName: 'openssh-server', version: '1:', reason: expect.stringMatching(/nothing after colon/) as string },
      ]);
    });

    it('reports an advisory whose version dpkg refuses, and still matches the others', () => {
      const db = createAdvisoryDatabase([
        { id: 'TEST-BAD-FIX', affected: [{ package: { ecosystem: 'Debian:12', name: 'demo' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0-' }] }] }] },
        { id: 'TEST-GOOD', affected: [{ package: { ecosystem: 'Debian:12', name: 'demo' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0-1' }] }] }] },
      ]);
      const request = { ecosystem: 'Debian:12', format: 'dpkg', packages: [pkg('demo', 'demo', '1.0-1')] } as const;

      const result = matchAdvisories(db, request);

      expect(result.matches.map((m) => m.advisoryId)).toEqual(['TEST-GOOD']);
      expect(result.unevaluated).toEqual([
        { advisoryId: 'TEST-BAD-FIX', packageName: 'demo', version: '1.0-1', reason: expect.stringMatching(/revision number is empty/) as string },
      ]);
    });

    it('refuses a package format the ecosystem does not use', () => {
      const request = { ecosystem: 'Debian:12', format: 'rpm', packages: [pkg('libc6', 'glibc', '2.36-9')] } as const;

      const matching = () => matchAdvisories(looseDb, request);

      expect(matching).toThrow(InternalError);
    });

    it('stays silent for packages no advisory names, whatever their version', () => {
      const request = { ecosystem: 'Debian:12', format: 'dpkg', packages: [pkg('local-tool', 'local-tool', 'not a version')] } as const;

      const result = matchAdvisories(looseDb, request);

      expect(result).toEqual({ matches: [], unevaluated: [] });
    });
  });
});
