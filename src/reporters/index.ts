// Reporters turn a finished scan into text. They read only the ScanResult and
// do no I/O; the CLI decides where the text goes and whether to colour it.
import type { ScanResult } from '../model/report.js';
import { redactScan } from '../scan/redact.js';
import { codeQualityReporter } from './codequality.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import { sarifReporter } from './sarif.js';
import type { ReporterName } from './names.js';
import { tableReporter } from './table.js';

export interface ReporterOptions {
  /** ANSI colours (table only); the CLI sets it from the TTY, NO_COLOR and --no-color. */
  color: boolean;
  /** SARIF `automationDetails.id` category; `palisade` when absent. */
  sarifCategory?: string;
  /** Terminal width for the table; 100 when absent. */
  width?: number;
}

export type Reporter = (scan: ScanResult, options: ReporterOptions) => string;

export type { ReporterName };

/** Every format renders the redacted scan: no reporter sees a secret, whoever calls it. */
function redacting(reporter: Reporter): Reporter {
  return (scan, options) => reporter(redactScan(scan), options);
}

export const reporters: Record<ReporterName, Reporter> = {
  table: redacting(tableReporter),
  json: redacting(jsonReporter),
  sarif: redacting(sarifReporter),
  markdown: redacting(markdownReporter),
  junit: redacting(junitReporter),
  codequality: redacting(codeQualityReporter),
  html: redacting(htmlReporter),
};
