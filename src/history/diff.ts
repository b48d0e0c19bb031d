// What changed between two scans, by fingerprint and workload identity. Pure:
// works on JSON reports as well as recorded scans.
import type { ScanResult } from '../model/report.js';
import type { ScanDiff } from './types.js';

export function diffScans(a: ScanResult, b: ScanResult): ScanDiff {
  void a;
  void b;
  throw new Error('diffScans: not yet implemented');
}
