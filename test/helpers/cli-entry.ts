// The CLI from source, for tests that need a real process (signals, a server
// that keeps running): `tsx test/helpers/cli-entry.ts serve ...`.
import { run } from '../../src/cli/run.js';

run();
