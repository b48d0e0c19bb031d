// `palisade advisories fetch`: download OSV archives for `scan --advisories`.
import { homedir } from 'node:os';
import path from 'node:path';

import type { Command } from 'commander';

import { EXIT } from './exit-codes.js';
import type { CliIO, SetExit } from './io.js';
import { stderrLine } from './stderr.js';

export function registerAdvisoriesCommand(program: Command, io: CliIO, setExit: SetExit): void {
  const advisories = program.command('advisories').description('Offline OSV advisories for host package matching.');
  advisories
    .command('fetch')
    .description('Download OSV ecosystem archives over HTTPS into a cache folder for `scan --advisories`.')
    .argument('<ecosystems...>', 'OSV ecosystems, e.g. Debian Ubuntu Alpine "Rocky Linux" AlmaLinux')
    .option('--cache <dir>', 'cache folder', path.join(homedir(), '.cache', 'palisade', 'advisories'))
    .action(async (ecosystems: string[], flags: { cache: string }) => {
      const { fetchAdvisories } = await import('../advisories/fetch.js');
      const result = await fetchAdvisories({ ecosystems, cacheDir: path.resolve(io.cwd, flags.cache) });
      let failed = 0;
      for (const o of result.outcomes) {
        if (o.status === 'failed') {
          failed++;
          io.stderr.write(stderrLine(`${o.ecosystem}: ${o.error?.message ?? 'failed'}`));
        } else io.stdout.write(`${o.ecosystem}: ${o.status}\n`);
      }
      io.stdout.write(`cache: ${path.resolve(io.cwd, flags.cache)} (use with: palisade scan --advisories ${flags.cache})\n`);
      setExit(failed > 0 ? EXIT.incomplete : EXIT.ok);
    });
}
