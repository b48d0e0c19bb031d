// npm run bench:report: renders the HTML report of an estate of 1,000
// workloads with 20,000 failing findings and a 30-scan trend (30,000 trend
// points) as `palisade report --format html` does (renderHtmlReport, which
// redacts the scan first), and prints the median wall time and CPU time of a
// render (CPU time says more on a machine shared with other work), the size
// and the load average. No I/O, no network.
//
// Usage: npm run bench:report [-- --workloads 1000 --findings 20 --scans 30 --runs 7]
import { loadavg } from 'node:os';

import { renderHtmlReport } from '../src/reporters/html.js';
import { estateScan, trendFor } from '../test/helpers/estate.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
}

const workloads = arg('workloads', 1000);
const perWorkload = arg('findings', 20);
const scans = arg('scans', 30);
const runs = arg('runs', 7);

const scan = estateScan(workloads, perWorkload);
const trend = trendFor(scan, scans);
const times: number[] = [];
const cpu: number[] = [];
let size = 0;
renderHtmlReport(scan, { trend }); // warm-up
for (let r = 0; r < runs; r++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const html = renderHtmlReport(scan, { trend });
  const c = process.cpuUsage(c0);
  times.push(performance.now() - t0);
  cpu.push((c.user + c.system) / 1000);
  size = Buffer.byteLength(html);
}
times.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] ?? 0;
const cpuMedian = cpu[Math.floor(cpu.length / 2)] ?? 0;
process.stdout.write(
  `html report: ${workloads} workloads, ${scan.findings.length} findings, ${scans} scans of trend (${trend.length} points): ` +
    `median ${median.toFixed(0)} ms wall (min ${(times[0] ?? 0).toFixed(0)}, max ${(times[times.length - 1] ?? 0).toFixed(0)}), ` +
    `${cpuMedian.toFixed(0)} ms CPU (min ${(cpu[0] ?? 0).toFixed(0)}), ${runs} runs, ` +
    `${(size / 1024 / 1024).toFixed(1)} MiB; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
);
