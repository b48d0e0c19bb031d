// Loads one reporter on demand, so a scan evaluates only the reporter
// module(s) of the formats it writes. A new format adds its name to names.ts,
// its reporter to index.ts and a loader here (the Record type insists).
import type { Reporter } from './index.js';
import type { ReporterName } from './names.js';
import type { StreamingReporter } from './stream.js';

export interface LoadedReporter {
  report: Reporter;
  /** Writes the report in chunks (large JSON and SARIF reports are never built as one string). */
  reportTo?: StreamingReporter;
}

const loaders: Record<ReporterName, () => Promise<LoadedReporter>> = {
  table: async () => ({ report: (await import('./table.js')).tableReporter }),
  json: async () => {
    const m = await import('./json.js');
    return { report: m.jsonReporter, reportTo: m.jsonReportTo };
  },
  sarif: async () => {
    const m = await import('./sarif.js');
    return { report: m.sarifReporter, reportTo: m.sarifReportTo };
  },
  markdown: async () => ({ report: (await import('./markdown.js')).markdownReporter }),
  junit: async () => ({ report: (await import('./junit.js')).junitReporter }),
  codequality: async () => ({ report: (await import('./codequality.js')).codeQualityReporter }),
  html: async () => ({ report: (await import('./html.js')).htmlReporter }),
};

/** Every format renders the redacted scan: no reporter sees a secret, whoever calls it. */
export async function loadReporter(name: ReporterName): Promise<LoadedReporter> {
  const [loaded, { redactScan }] = await Promise.all([loaders[name](), import('../scan/redact.js')]);
  const { report, reportTo } = loaded;
  return {
    report: (scan, options) => report(redactScan(scan), options),
    ...(reportTo ? { reportTo: ((scan, options) => reportTo(redactScan(scan), options)) satisfies StreamingReporter } : {}),
  };
}
