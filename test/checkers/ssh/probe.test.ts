import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  PROBE_SECTION_NAMES,
  PROBE_SECTIONS,
  buildProbeScript,
  probeSection,
} from '../../../src/checkers/ssh/probe.js';
import type { ProbeSectionSpec } from '../../../src/checkers/ssh/probe.js';

const HAS_APT = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
const SCRIPTS = [buildProbeScript({ sudo: false }), buildProbeScript({ sudo: true })];

/** The script with single-quoted strings blanked, so that awk programs and printf formats are not read as shell. */
function shellOnly(script: string): string {
  return script.replace(/'[^']*'/g, "''");
}

describe('src/checkers/ssh/probe', () => {
  describe('buildProbeScript', () => {
    it('depends on the sudo flag alone, whatever else an inventory entry carries', () => {
      const inventories = [
        { sudo: true, name: 'web1', address: '10.0.0.5; rm -rf /', user: '$(reboot)', tags: ['`id`'] },
        { sudo: true, identity: '/home/me/.ssh/id_ed25519', segment: "dmz' && touch /x '" },
      ];

      const scripts = inventories.map((entry) => buildProbeScript(entry as unknown as { sudo: boolean }));

      expect(scripts).toEqual([buildProbeScript({ sudo: true }), buildProbeScript({ sudo: true })]);
      for (const script of scripts) {
        for (const value of ['web1', '10.0.0.5', 'rm -rf', '$(reboot)', '`id`', 'id_ed25519', 'dmz']) {
          expect(script).not.toContain(value);
        }
      }
    });

    it('differs between sudo and no sudo only in the one flag line', () => {
      const [without, withSudo] = SCRIPTS.map((s) => s.split('\n'));

      const differing = without!.flatMap((line, i) => (line === withSudo![i] ? [] : [[line, withSudo![i]]]));

      expect(without).toHaveLength(withSudo!.length);
      expect(differing).toEqual([['palisade_want_sudo=0', 'palisade_want_sudo=1']]);
    });

    const shells = [['sh'], ['busybox', 'sh'], ['bash', '--posix']].filter(
      ([shell]) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0,
    );
    it.each(shells.flatMap((shell) => SCRIPTS.map((script, i) => [shell.join(' '), i === 1 ? 'with sudo' : 'without sudo', script] as const)))(
      'parses under %s (%s)',
      (shell, _label, script) => {
        const [command, ...args] = shell.split(' ');

        const result = spawnSync(command!, [...args, '-n'], { input: script, encoding: 'utf8' });

        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
      },
    );

    it('runs every section of the table, in order, once', () => {
      const script = buildProbeScript({ sudo: false });

      const calls = [...script.matchAll(/^palisade_section (\S+) (\S+) /gm)].map((m) => m[1]);

      expect(calls).toEqual(PROBE_SECTION_NAMES);
    });

    it('tries sudo before any section that needs root', () => {
      const firstRoot = PROBE_SECTION_NAMES.findIndex((n) => {
        const spec: ProbeSectionSpec = PROBE_SECTIONS[n];
        return spec.needsRoot || spec.prefersRoot === true;
      });

      expect(PROBE_SECTION_NAMES.indexOf('sudo')).toBeLessThan(firstRoot);
    });
  });

  describe('read-only commands', () => {
    const script = buildProbeScript({ sudo: true });

    /** Each time `tool` is run (not merely tested for), with its arguments up to the next pipe or separator. */
    function invocations(tool: string): string[] {
      const pattern = new RegExp(`(?<!command -v )(?<![\\w/-])${tool} ([^|;\\n]*)`, 'g');
      return [...script.matchAll(pattern)].map((m) => m[1]!.trim()).filter((args) => !args.startsWith('>'));
    }

    it('simulates apt, without locks or cache writes', () => {
      const apt = invocations('apt-get');

      expect(apt).toHaveLength(1);
      expect(apt[0]).toMatch(/^-s .*-o Debug::NoLocking=1 -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= .*dist-upgrade$/);
      expect(invocations('apt')).toEqual([]);
    });

    it('runs dnf and yum from the cache only, to query', () => {
      const runs = [...invocations('dnf'), ...invocations('yum')];

      expect(runs.length).toBeGreaterThanOrEqual(5);
      for (const args of runs) {
        expect(args).toMatch(/^-C (-q )?(--noplugins )?(updateinfo list|check-update|needs-restarting -r)/);
        expect(args).not.toMatch(/makecache|install|upgrade|remove|erase|--refresh/);
      }
    });

    it('runs zypper without refreshing, to query', () => {
      const runs = invocations('zypper');

      expect(runs.length).toBeGreaterThanOrEqual(4);
      for (const args of runs) {
        expect(args).toMatch(/^--non-interactive --no-refresh (-q )?(list-patches|list-updates|info -t patch|needs-rebooting)/);
      }
    });

    it('runs apk without -U, to query', () => {
      const runs = invocations('apk');

      expect(runs).toEqual(["version -l '<'"]);
    });

    it.each([
      ['a package refresh', /apt-get update|apt update|dnf makecache|yum makecache|zypper (refresh|ref)\b|apk update|--update-cache/],
      ['rpm changes', /\brpm\b[^\n]*\s-(i|U|F|e)\b/],
      ['file-changing tools', /(^|[\s;|&(])(tee|touch|mkdir|rm|mv|cp|chmod|chown|ln|truncate|dd|install|sed -i)\s/m],
    ])('never runs %s', (_label, pattern) => {
      expect(script).not.toMatch(pattern);
    });

    it('redirects into nothing but /dev/null and file descriptors', () => {
      const redirections = [...shellOnly(script).matchAll(/\d*>>?\s*(\S+)/g)].map((m) => m[1]);

      const targets = new Set(redirections.map((t) => t!.replace(/[;)"]+$/, '')));

      for (const target of targets) expect(target).toMatch(/^(\/dev\/null|&[0-9-])$/);
    });

    it('runs awk programs that only print', () => {
      const programs = [...script.matchAll(/awk (?:-F\S+ )?'([^']*)'/g)].map((m) => m[1]!);

      expect(programs.length).toBeGreaterThan(0);
      for (const program of programs) expect(program).not.toMatch(/print[^;}]*>|system\(|getline|\|\s*"/);
    });

    it('prints user names, never password hashes, from /etc/shadow', () => {
      const command = PROBE_SECTIONS['empty-passwords'].command;

      expect(command).toMatch(/\{ print \$1 \}/);
      expect(command).not.toMatch(/print \$0|print\s*}|print \$2/);
    });

    it.each(PROBE_SECTION_NAMES.filter((n) => PROBE_SECTIONS[n].needsRoot))(
      'runs root section %s through the privilege prefix',
      (name) => {
        const spec = probeSection(name);

        expect(spec?.command).toContain('$palisade_sudo');
      },
    );

    it('bounds every section and gives slow tools a timeout', () => {
      expect(script).toMatch(/head -c "\$palisade_max"/);
      for (const tool of ['dpkg-query', 'rpm -qa', 'apt-get', 'dnf -C', 'zypper --non', 'apk version', 'find ']) {
        const lines = script.split('\n').filter((l) => l.includes(tool) && !l.includes('command -v'));
        expect(lines.length, tool).toBeGreaterThan(0);
        for (const line of lines) expect(line, tool).toMatch(/\$palisade_timeout/);
      }
    });
  });

  describe.runIf(HAS_APT)('apt simulation', () => {
    // apt normally rewrites its binary caches (pkgcache.bin) when it runs as
    // root; pointing Dir::Cache at an empty folder shows whether the probe's
    // command writes anything there.
    function cacheFilesAfter(command: string): string[] {
      const dir = mkdtempSync(join(tmpdir(), 'palisade-apt-'));
      try {
        const defaults = `apt-get -o Dir::Cache=${dir} -o Dir::Cache::pkgcache=pkgcache.bin -o Dir::Cache::srcpkgcache=srcpkgcache.bin `;
        const result = spawnSync('sh', ['-c', command.replace('apt-get ', defaults)], {
          env: { ...process.env, palisade_timeout: '', LC_ALL: 'C' },
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        });
        expect(result.stdout).toMatch(/^\d+ upgraded, /m);
        return readdirSync(dir).sort();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }

    it('writes no apt cache', () => {
      const command = PROBE_SECTIONS['updates-apt'].command;

      expect(cacheFilesAfter(command)).toEqual([]);
    });

    it.runIf(process.getuid?.() === 0)('would write one as root without its options (the control)', () => {
      expect(cacheFilesAfter('apt-get -s -q dist-upgrade')).toEqual(['pkgcache.bin', 'srcpkgcache.bin']);
    });
  });
});
