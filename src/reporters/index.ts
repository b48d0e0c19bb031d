// Reporters turn a finished scan into text. They read only the ScanResult and
// do no I/O; the CLI decides where the text goes and whether to colour it.
import type { ScanResult } from '../model/report.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import { sarifReporter } from './sarif.js';
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

export type ReporterName = 'table' | 'json' | 'sarif' | 'markdown' | 'junit' | 'html';

export const reporters: Record<ReporterName, Reporter> = {
  table: tableReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  markdown: markdownReporter,
  junit: junitReporter,
  html: htmlReporter,
};
