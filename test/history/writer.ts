// A separate writer process for the store tests: `record <scope> <count>` records
// scans; `pause <scope> <marker>` starts one and stops inside its transaction,
// after the first batch of findings, writing <marker> (the test then SIGKILLs it).
import { writeFileSync } from 'node:fs';

import { openHistoryImpl } from '../../src/history/backends.js';
import { syntheticScan } from '../helpers/scan-result.js';

const [mode, scope, arg] = process.argv.slice(2);
const db = process.env['PALISADE_TEST_WRITER_DB'];
let paused = false;
const store = await openHistoryImpl(db, process.env, {
  lockTimeoutMs: 120_000,
  hooks: {
    async afterBatch(table) {
      if (mode !== 'pause' || table !== 'findings' || paused) return;
      paused = true;
      writeFileSync(arg ?? 'marker', String(process.pid));
      await new Promise(() => {});
    },
  },
});
if (mode === 'record') {
  for (let i = 0; i < Number(arg); i++) {
    const scan = syntheticScan({ workloads: 40, findingsPerWorkload: 10, seed: process.pid + i, startedAt: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString() });
    await store.record(scan, { scope: scope ?? 'w', command: 'scan' });
  }
} else if (mode === 'pause') {
  // Big enough for several batches of findings.
  await store.record(syntheticScan({ workloads: 600, findingsPerWorkload: 20 }), { scope: scope ?? 'w', command: 'scan' });
}
await store.close();
