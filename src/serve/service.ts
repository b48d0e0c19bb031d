// One scheduled run of `palisade serve`, and what outlives it: scan (the same
// scan as `palisade scan`), record it in the history store (one transaction),
// compare it with the previous scan of the scope, send the regression webhook,
// refresh the metrics and the HTML report. A target that is down is recorded
// as a target in error; a run that throws is logged and the next one goes on.
import { diffScans } from '../history/diff.js';
import type { HistoryStore } from '../history/types.js';
import type { Severity } from '../model/check.js';
import type { ScanResult } from '../model/report.js';
import { renderHtmlReport } from '../reporters/html.js';
import type { ScanOptions } from '../scan/scan.js';
import type { Clock } from './clock.js';
import { ServeMetrics } from './metrics.js';
import { findRegression, regressionPayload, regressionSummary } from './regression.js';
import { postWebhook, type WebhookOptions } from './webhook.js';

const DAY_MS = 86_400_000;

export interface ServeServiceOptions {
  /** Reads the inventory and resolves targets for each run, so edits apply at the next tick. */
  prepare: () => Promise<Omit<ScanOptions, 'now'>>;
  scan: (options: ScanOptions) => Promise<ScanResult>;
  store: HistoryStore;
  /** The history scope the scans are recorded under. */
  scope: (result: ScanResult) => string;
  clock: Clock;
  log: (message: string) => void;
  /** Regression: a new failing finding at or above this severity (or a layer lost). */
  threshold: Severity;
  webhook?: Omit<WebhookOptions, 'clock' | 'log'>;
  /** Days of history in the report's trend (default 30). */
  trendDays?: number;
  /** Waivers expiring within this many days are listed in the report (default 14). */
  expiryDays?: number;
}

export type Phase = 'idle' | 'scanning' | 'recording' | 'notifying';

export interface Health {
  ok: boolean;
  /** The last run's outcome; `none` before the first. */
  last: 'none' | 'ok' | 'incomplete' | 'failed';
  lastError?: string;
  lastScanId?: string;
  lastFinishedAt?: string;
}

export class ServeService {
  readonly metrics = new ServeMetrics();
  health: Health = { ok: true, last: 'none' };
  /** The latest HTML report (undefined before the first recorded scan). */
  report: string | undefined;
  private previous: { result: ScanResult; id?: string } | undefined;
  private phase: Phase = 'idle';
  private stopping = false;
  private run: Promise<void> | undefined;

  constructor(private readonly options: ServeServiceOptions) {}

  /** Loads the newest recorded scan of `scope` as the baseline of the first comparison, and its report. */
  async init(scope: string | undefined): Promise<void> {
    if (scope === undefined) return;
    const [latest] = await this.options.store.listScans({ scope, limit: 1 });
    if (!latest) return;
    const result = await this.options.store.getScan(latest.id);
    this.previous = { result, id: latest.id };
    this.report = await this.render(result, scope);
  }

  get currentPhase(): Phase {
    return this.phase;
  }

  /** The scheduler's job. Never throws. */
  runOnce(at: Date): Promise<void> {
    const run = this.execute(at).finally(() => {
      this.phase = 'idle';
      this.run = undefined;
    });
    this.run = run;
    return run;
  }

  /**
   * Stops at a safe point. A scan still collecting is abandoned: nothing of
   * it is recorded. A scan being recorded (one transaction) or notified is
   * waited for. Resolves with what became of the run in progress.
   */
  async shutdown(): Promise<'idle' | 'abandoned' | 'completed'> {
    this.stopping = true;
    if (!this.run) return 'idle';
    if (this.phase === 'scanning') return 'abandoned';
    await this.run;
    return 'completed';
  }

  private async execute(at: Date): Promise<void> {
    const { options } = this;
    const started = options.clock.now();
    this.phase = 'scanning';
    let result: ScanResult;
    try {
      const prepared = await options.prepare();
      result = await options.scan({ ...prepared, now: started });
    } catch (error) {
      this.fail(at, 'scan failed', error);
      return;
    }
    if (this.stopping) {
      options.log(`scan of ${at.toISOString()} abandoned (shutting down): nothing recorded`);
      return;
    }
    this.phase = 'recording';
    const scope = options.scope(result);
    let scanId: string;
    try {
      ({ scanId } = await options.store.record(result, { scope, command: 'serve' }));
    } catch (error) {
      this.fail(at, `could not record the scan in ${options.store.description}`, error);
      return;
    }
    this.phase = 'notifying';
    for (const t of result.targets) {
      if (t.status === 'error') options.log(`could not scan ${t.target}: ${t.error ?? 'error'} (recorded as a target in error)`);
    }
    this.metrics.scanned(result);
    this.health = {
      ok: true,
      last: result.incomplete ? 'incomplete' : 'ok',
      lastScanId: scanId,
      lastFinishedAt: result.finishedAt,
    };
    const workloads = result.workloads.length;
    options.log(`scan ${scanId} recorded: ${workloads} workload(s), ${result.summary.fail} failing, ${result.targets.filter((t) => t.status === 'error').length} target(s) in error`);
    const previous = this.previous;
    this.previous = { result, id: scanId };
    if (previous) await this.compare(previous, { result, id: scanId }, scope);
    try {
      this.report = await this.render(result, scope);
    } catch (error) {
      options.log(`could not build the HTML report: ${message(error)}`);
    }
  }

  private async compare(a: { result: ScanResult; id?: string }, b: { result: ScanResult; id: string }, scope: string): Promise<void> {
    const { options } = this;
    const regression = findRegression(diffScans(a.result, b.result), options.threshold);
    if (!regression) return;
    this.metrics.regressions.inc();
    options.log(`REGRESSION in ${scope}: ${regressionSummary(regression)} since scan ${a.id ?? a.result.startedAt}`);
    for (const f of regression.newFindings.slice(0, 20)) {
      options.log(`  new ${f.severity} ${f.checkId} on ${f.workload.kind} ${f.workload.name}: ${f.message}`);
    }
    for (const l of regression.layersLost.slice(0, 20)) options.log(`  ${l.kind} ${l.name} lost ${l.lost.join(', ')}`);
    if (!options.webhook) return;
    const payload = regressionPayload(regression, {
      scope,
      scanId: b.id,
      previousScanId: a.id,
      startedAt: b.result.startedAt,
      previousStartedAt: a.result.startedAt,
    });
    const sent = await postWebhook(payload, { ...options.webhook, clock: options.clock, log: options.log });
    this.metrics.webhookDeliveries.inc({ outcome: sent.delivered ? 'delivered' : 'failed' });
  }

  private async render(result: ScanResult, scope: string): Promise<string> {
    const days = this.options.trendDays ?? 30;
    const since = new Date(this.options.clock.now().getTime() - days * DAY_MS);
    const trend = await this.options.store.workloadTrend({ scope, since });
    return renderHtmlReport(result, { trend, since, expiryDays: this.options.expiryDays, now: this.options.clock.now() });
  }

  private fail(at: Date, what: string, error: unknown): void {
    this.metrics.failed(this.options.clock.now());
    this.health = { ...this.health, ok: false, last: 'failed', lastError: `${what}: ${message(error)}` };
    this.options.log(`scan of ${at.toISOString()}: ${what}: ${message(error)} (the next scheduled scan goes on)`);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
