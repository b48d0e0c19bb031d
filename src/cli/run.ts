// Entry point used by bin/palisade. `palisade --version` (alone) is answered
// here without loading commander or any command; everything else goes
// through main(), which is loaded on demand.
import { EXIT } from './exit-codes.js';

export async function run(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  try {
    if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
      const { packageVersion } = await import('../paths.js');
      process.stdout.write(`${packageVersion}\n`);
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
