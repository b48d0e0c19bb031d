// Every parser of target output, fed text shaped like what hosts print (real
// probe lines cut, mixed and mutated, controls and markers inserted): none may
// throw. A parse failure is an empty or undefined result, which the facts
// builder turns into a not-collected reason; buildHostFacts over whole
// generated probe answers must never throw either.
import fc from 'fast-check';
import { describe, it } from 'vitest';

import { buildHostFacts } from '../../src/checkers/ssh/host-facts.js';
import { parseApkInstalled, parseApkVersion, splitApkPackage } from '../../src/checkers/ssh/parsers/apk.js';
import { parseAptSimulation } from '../../src/checkers/ssh/parsers/apt.js';
import { autoUpdatesFor, parseAutoUpdateSignals } from '../../src/checkers/ssh/parsers/auto-updates.js';
import { parseDnfCheckUpdate, parseDnfUpdateinfo } from '../../src/checkers/ssh/parsers/dnf.js';
import { parseDpkgQuery } from '../../src/checkers/ssh/parsers/dpkg.js';
import { parseIptables, parseNftJson, parseNftRuleset, parseNftText, summariseFirewall } from '../../src/checkers/ssh/parsers/firewall.js';
import { classifySudoRefusal, parseId, parseSudoAttempt, parseUname, parseVirtualization } from '../../src/checkers/ssh/parsers/identity.js';
import { newestKernel, parseKernels } from '../../src/checkers/ssh/parsers/kernels.js';
import { metadataAge, parseMetadataTimes } from '../../src/checkers/ssh/parsers/metadata-age.js';
import { osIdentity, parseOsRelease } from '../../src/checkers/ssh/parsers/os-release.js';
import { parseRebootSignals, rebootVerdict } from '../../src/checkers/ssh/parsers/reboot.js';
import { parseNevra, parseRpmQa, parseSourceRpm } from '../../src/checkers/ssh/parsers/rpm.js';
import { parseListening, parseNetstat, parseSs } from '../../src/checkers/ssh/parsers/sockets.js';
import { parseSshdConfig } from '../../src/checkers/ssh/parsers/sshd.js';
import { parseSysctl } from '../../src/checkers/ssh/parsers/sysctl.js';
import { parseZypperPatchInfo, parseZypperPatches, parseZypperTables, parseZypperUpdates } from '../../src/checkers/ssh/parsers/zypper.js';
import { PROBE_SECTION_NAMES } from '../../src/checkers/ssh/probe.js';
import { splitProbeOutput } from '../../src/checkers/ssh/sections.js';
import { probeLikeLine, probeLikeText, RUNS } from './arbitraries.js';

const FAMILIES = ['debian', 'rhel', 'suse', 'alpine', 'unknown'] as const;

const PARSERS: [string, (text: string) => unknown][] = [
  ['probe sections', splitProbeOutput],
  ['sshd -T', parseSshdConfig],
  ['nft -j', parseNftJson],
  ['nft text', parseNftText],
  ['nft ruleset', parseNftRuleset],
  ['iptables -S', parseIptables],
  ['firewall summary', (t) => summariseFirewall(parseNftRuleset(t), parseIptables(t))],
  ['ss', parseSs],
  ['netstat', parseNetstat],
  ['listening', parseListening],
  ['os-release', (t) => osIdentity(parseOsRelease(t))],
  ['dpkg-query', parseDpkgQuery],
  ['rpm -qa', parseRpmQa],
  ['rpm NEVRA', parseNevra],
  ['rpm source', parseSourceRpm],
  ['apk installed', parseApkInstalled],
  ['apk package', splitApkPackage],
  ['apk version', parseApkVersion],
  ['apt-get -s', parseAptSimulation],
  ['dnf updateinfo', parseDnfUpdateinfo],
  ['dnf check-update', parseDnfCheckUpdate],
  ['zypper tables', parseZypperTables],
  ['zypper patches', parseZypperPatches],
  ['zypper updates', parseZypperUpdates],
  ['zypper patch info', parseZypperPatchInfo],
  ['id', parseId],
  ['sudo', parseSudoAttempt],
  ['sudo refusal', classifySudoRefusal],
  ['uname', parseUname],
  ['virtualization', parseVirtualization],
  ['kernels', (t) => newestKernel(parseKernels(t))],
  ['metadata age', (t) => FAMILIES.map((f) => metadataAge(parseMetadataTimes(t), f))],
  ['reboot signals', (t) => FAMILIES.map((f) => rebootVerdict(f, parseRebootSignals(t)))],
  ['auto-updates', (t) => FAMILIES.map((f) => autoUpdatesFor(f, parseAutoUpdateSignals(t)))],
  ['sysctl', parseSysctl],
];

/** A whole probe answer: header, a random subset of sections with random bodies and exit codes, maybe the trailer. */
const probeAnswer: fc.Arbitrary<string> = fc
  .tuple(
    fc.boolean(),
    fc.array(
      fc.tuple(
        fc.constantFrom(...PROBE_SECTION_NAMES),
        fc.constantFrom('user', 'root', 'sudo', 'skipped', 'bogus'),
        fc.array(probeLikeLine, { maxLength: 15 }),
        fc.constantFrom('0', '1', '100', '124', '127', '141', '-', 'x'),
        fc.boolean(),
      ),
      { maxLength: PROBE_SECTION_NAMES.length },
    ),
    fc.boolean(),
  )
  .map(([header, sections, done]) =>
    [
      header ? '@@palisade:probe:1' : '',
      ...sections.flatMap(([name, how, body, rc, closed]) => [
        `@@palisade:begin:${name}:${how}`,
        ...body,
        closed ? `@@palisade:end:${name}:${rc}` : '',
      ]),
      done ? '@@palisade:done' : '',
    ].join('\n'),
  );

describe('test/fuzz: parsers of target output never throw', () => {
  it.each(PARSERS)('%s', (_name, parse) => {
    fc.assert(
      fc.property(probeLikeText, (text) => {
        parse(text);
      }),
      RUNS,
    );
  });

  it('buildHostFacts over whole generated probe answers', () => {
    fc.assert(
      fc.property(probeAnswer, (text) => {
        buildHostFacts(splitProbeOutput(text), { name: 'fuzz', address: '127.0.0.1', port: 22, tags: [] });
      }),
      { numRuns: RUNS.numRuns * 2 },
    );
  });
});
