// Entry point used by bin/palisade. `palisade --version` (alone) and the
// plain forms of `palisade checks` are answered here without loading
// commander or any command (commander and the command registrations cost
// about a third of `node -e 0`; docs/benchmarks.md); everything else goes
// through main(), which is loaded on demand.
import { simpleChecksInvocation } from './catalogue-formats.js';
import { EXIT } from './exit-codes.js';

export async function run(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  try {
    if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
      const { packageVersion } = await import('../paths.js');
      process.stdout.write(`${packageVersion}\n`);
      process.exitCode = EXIT.ok;
      return;
    }
    const catalogueFormat = simpleChecksInvocation(argv);
    if (catalogueFormat !== undefined) {
      const { printCatalogue } = await import('./catalogue.js');
      await printCatalogue(process.stdout, catalogueFormat);
      process.exitCode = EXIT.ok;
      return;
    }
    const { main } = await import('./main.js');
    process.exitCode = await main(argv, {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      cwd: process.cwd(),
      now: () => new Date(),
    });
  } catch (err: unknown) {
    process.stderr.write(`palisade: internal error: ${String(err)}\n`);
    process.exitCode = EXIT.internal;
  }
}
