// Parsers of files users hand palisade (known_hosts, ssh config, Ansible INI
// and YAML, palisade.yaml, policies), fed fixture lines cut, mixed and
// mutated: each either returns or throws palisade's own typed error (a
// PolicyError naming the file, exit code 2), never a TypeError or RangeError.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import fc from 'fast-check';
import { describe, it } from 'vitest';

import { PalisadeError } from '../../src/errors.js';
import { parseAnsibleIni } from '../../src/inventory/ansible-ini.js';
import { parseAnsibleYaml } from '../../src/inventory/ansible-yaml.js';
import { detectFormat } from '../../src/inventory/load.js';
import { parsePalisadeInventory } from '../../src/inventory/palisade.js';
import { parseSshConfig } from '../../src/inventory/ssh-config.js';
import { parsePolicyText } from '../../src/policy/policy.js';
import { parseKnownHosts } from '../../src/ssh/known-hosts.js';
import { RUNS } from './arbitraries.js';

const ROOT = path.join(import.meta.dirname, '../..');

function linesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (statSync(p).size < 200_000) out.push(...readFileSync(p, 'utf8').split('\n'));
    }
  };
  walk(dir);
  return [...new Set(out)];
}

const INVENTORY_LINES = linesUnder(path.join(ROOT, 'fixtures/inventory'));
const POLICY_LINES = [...linesUnder(path.join(ROOT, 'fixtures/policies')), ...linesUnder(path.join(ROOT, 'policies')).filter((l) => !l.startsWith('{'))];
const KNOWN_HOSTS_LINES = [
  '127.0.0.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
  '[127.0.0.1]:2222 ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV9U2nGf4ZY5lJXZo=',
  '|1|JfKTdBh7rNbXkVAQCRp4OQoPfmI=|USECr3SWf1JUPsms5AqfD5QfxkM= ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ',
  '@cert-authority *.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
  '@revoked * ssh-ed25519 AAAA',
  '# comment',
  'host1,host2,!bad* ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl comment',
];

const insert = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('\u001b[2J', '\u0000', '\r', '\t', ' ', ':', '- ', '[', ']', '{', '}', '&a ', '*a', '!vault ', '!!js/function ', '<<: ', '=', '"', "'", '#', '%', '${HOME}', '~', '..', '[1:99999999]', '[a:z]', '[0:9:0]'),
);

function textOf(lines: readonly string[]): fc.Arbitrary<string> {
  const line = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...lines) },
    {
      weight: 3,
      arbitrary: fc.tuple(fc.constantFrom(...lines), fc.nat(), insert).map(([l, at, ins]) => {
        const i = at % (l.length + 1);
        return l.slice(0, i) + ins + l.slice(i);
      }),
    },
    { weight: 1, arbitrary: insert },
  );
  return fc.array(line, { maxLength: 30 }).map((ls) => ls.join('\n'));
}

function onlyTypedErrors(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof PalisadeError)) throw error;
  }
}

const ctx = { homeDir: '/home/fuzz', localUser: 'fuzz', cwd: '/work', knownHostsFiles: [] as string[] };
const FILE = '/work/fuzz.input';

describe('test/fuzz: parsers of input files throw only typed errors', () => {
  it('known_hosts (never throws: bad lines are skipped, as OpenSSH does)', () => {
    fc.assert(
      fc.property(textOf(KNOWN_HOSTS_LINES), (text) => {
        parseKnownHosts(text);
      }),
      RUNS,
    );
  });

  it('ssh config', () => {
    fc.assert(
      fc.property(textOf(INVENTORY_LINES), (text) => {
        onlyTypedErrors(() => parseSshConfig(text, FILE, { ...ctx, knownHosts: { user: [], global: [] }, env: {} }));
      }),
      RUNS,
    );
  });

  it('Ansible INI', () => {
    fc.assert(
      fc.property(textOf(INVENTORY_LINES), (text) => {
        onlyTypedErrors(() => parseAnsibleIni(text, FILE, ctx));
      }),
      RUNS,
    );
  });

  it('Ansible YAML', () => {
    fc.assert(
      fc.property(textOf(INVENTORY_LINES), (text) => {
        onlyTypedErrors(() => parseAnsibleYaml(text, FILE, ctx));
      }),
      RUNS,
    );
  });

  it('palisade.yaml', () => {
    fc.assert(
      fc.property(textOf(INVENTORY_LINES), (text) => {
        onlyTypedErrors(() => parsePalisadeInventory(text, FILE, ctx));
      }),
      RUNS,
    );
  });

  it('inventory form detection', () => {
    fc.assert(
      fc.property(textOf(INVENTORY_LINES), fc.constantFrom('/work/inv.yaml', '/work/hosts', '/work/config', '/work/x.ini'), (text, file) => {
        onlyTypedErrors(() => detectFormat(text, file));
      }),
      RUNS,
    );
  });

  it('policy YAML', () => {
    fc.assert(
      fc.property(textOf(POLICY_LINES), (text) => {
        onlyTypedErrors(() => parsePolicyText(text, '/work/policy.yaml'));
      }),
      RUNS,
    );
  });
});
