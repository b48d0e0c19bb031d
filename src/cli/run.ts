// Entry point used by bin/palisade.
import { main } from './main.js';

export function run(): void {
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`palisade: internal error: ${String(err)}\n`);
      process.exitCode = 4;
    },
  );
}
