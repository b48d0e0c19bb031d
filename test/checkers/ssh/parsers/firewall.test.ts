import { describe, expect, it } from 'vitest';

import {
  parseIptables,
  parseNftJson,
  parseNftRuleset,
  parseNftText,
  summariseFirewall,
} from '../../../../src/checkers/ssh/parsers/firewall.js';
import type { InputChain } from '../../../../src/checkers/ssh/parsers/firewall.js';
import { sectionOutput } from '../fixtures.js';

describe('src/checkers/ssh/parsers/firewall', () => {
  describe('nft', () => {
    it('reads firewalld JSON: accept policy ended by a catch-all reject', () => {
      const chains = parseNftJson(sectionOutput('rocky-9', 'firewall-nft'));

      expect(chains).toEqual([{ chain: 'inet firewalld filter_INPUT', policy: 'accept', effective: 'reject', rules: 6 }]);
    });

    it('reads firewalld text the same way', () => {
      const chains = parseNftText(sectionOutput('opensuse-leap-15.6', 'firewall-nft'));

      expect(chains).toEqual([{ chain: 'inet firewalld filter_INPUT', policy: 'accept', effective: 'reject', rules: 6 }]);
    });

    it('reads ufw through iptables-nft as text, ignoring the ip6 table', () => {
      const chains = parseNftRuleset(sectionOutput('ubuntu-22.04', 'firewall-nft'));

      expect(chains).toEqual([{ chain: 'ip filter INPUT', policy: 'drop', effective: 'drop', rules: 6 }]);
    });

    it('finds no input chain in Docker-only rules', () => {
      const chains = parseNftRuleset(sectionOutput('debian-12', 'firewall-nft'));

      expect(chains).toEqual([]);
    });

    it.each([
      ['an empty ruleset', '', []],
      ['an empty JSON ruleset', '{"nftables": [{"metainfo": {"version": "1.0.9"}}]}', []],
      ['garbage', 'Error: syntax error, unexpected junk', undefined],
      ['broken JSON', '{"nftables": [', undefined],
    ])('reads %s', (_label, text, expected) => {
      expect(parseNftRuleset(text)).toEqual(expected);
    });

    it('counts a rule with a set on one line once and takes the chain policy when the last rule matches something', () => {
      const text = [
        'table inet filter {',
        '\tset allowed {',
        '\t\ttype ipv4_addr',
        '\t\telements = { 10.0.0.1, 10.0.0.2,',
        '\t\t\t     10.0.0.3 }',
        '\t}',
        '\tchain input {',
        '\t\ttype filter hook input priority filter; policy drop;',
        '\t\tct state { established, related } accept',
        '\t\tip saddr @allowed tcp dport { 22, 443 } accept',
        '\t\tcomment "input rules {"',
        '\t}',
        '}',
      ].join('\n');

      const chains = parseNftText(text);

      expect(chains).toEqual([{ chain: 'inet filter input', policy: 'drop', effective: 'drop', rules: 2 }]);
    });

    it('sees through a catch-all accept at the end of a drop chain', () => {
      const text = 'table ip filter {\n\tchain INPUT {\n\t\ttype filter hook input priority 0; policy drop;\n\t\tcounter packets 5 bytes 300 accept\n\t}\n}\n';

      expect(parseNftText(text)).toEqual([{ chain: 'ip filter INPUT', policy: 'drop', effective: 'accept', rules: 1 }]);
    });
  });

  describe('iptables', () => {
    it('reads the legacy backend, policy and INPUT rules', () => {
      const result = parseIptables(sectionOutput('alpine-3.20', 'firewall-iptables'));

      expect(result).toEqual({ backend: 'legacy', input: { chain: 'iptables INPUT', policy: 'drop', effective: 'drop', rules: 4 } });
    });

    it('reads a trailing catch-all REJECT under an ACCEPT policy', () => {
      const text = 'version iptables v1.8.4 (nf_tables)\n-P INPUT ACCEPT\n-A INPUT -i lo -j ACCEPT\n-A INPUT -j REJECT --reject-with icmp-host-prohibited\n';

      expect(parseIptables(text)).toEqual({
        backend: 'nf_tables',
        input: { chain: 'iptables INPUT', policy: 'accept', effective: 'reject', rules: 2 },
      });
    });

    it('treats a version without a backend as legacy and reports a missing policy', () => {
      expect(parseIptables('version iptables v1.4.21\n')).toEqual({ backend: 'legacy' });
    });
  });

  describe('summariseFirewall', () => {
    const accept: InputChain = { chain: 'x', policy: 'accept', effective: 'accept', rules: 0 };
    const drop: InputChain = { chain: 'y', policy: 'drop', effective: 'drop', rules: 3 };

    it.each([
      ['no chains anywhere', [], undefined, { backend: 'none', inputPolicy: 'accept', inputRules: 0 }],
      ['an accepting nft chain', [accept], undefined, { backend: 'nftables', inputPolicy: 'accept', inputRules: 0 }],
      ['the strictest of two nft chains', [accept, drop], undefined, { backend: 'nftables', inputPolicy: 'drop', inputRules: 3 }],
      [
        'iptables-nft rules already in the nft view',
        [],
        { backend: 'nf_tables', input: drop },
        { backend: 'none', inputPolicy: 'accept', inputRules: 0 },
      ],
      [
        'legacy iptables beside nft',
        [accept],
        { backend: 'legacy', input: drop },
        { backend: 'nftables', inputPolicy: 'drop', inputRules: 3 },
      ],
      ['iptables alone', undefined, { backend: 'nf_tables', input: drop }, { backend: 'iptables', inputPolicy: 'drop', inputRules: 3 }],
      ['an empty legacy table', undefined, { backend: 'legacy', input: accept }, { backend: 'none', inputPolicy: 'accept', inputRules: 0 }],
    ] as const)('summarises %s', (_label, nft, iptables, expected) => {
      expect(summariseFirewall(nft as InputChain[] | undefined, iptables)).toEqual(expected);
    });
  });
});
