// Prometheus metrics of `palisade serve` (prom-client, on a registry of our
// own, not the process-global one). Per-workload gauges are replaced after
// each scan, so a workload that is gone stops being reported. prom-client
// escapes label values (backslash, double quote, newline).
import { Counter, Gauge, Registry } from 'prom-client';

import type { ScanResult } from '../model/report.js';

export const METRIC_NAMES = [
  'palisade_workload_score',
  'palisade_workload_depth',
  'palisade_workload_effective_depth',
  'palisade_workload_applicable_layers',
  'palisade_layer_score',
  'palisade_layer_holds',
  'palisade_findings',
  'palisade_scan_duration_seconds',
  'palisade_target_scan_duration_seconds',
  'palisade_target_up',
  'palisade_target_errors_total',
  'palisade_scans_total',
  'palisade_scans_skipped_total',
  'palisade_last_scan_timestamp_seconds',
  'palisade_last_successful_scan_timestamp_seconds',
  'palisade_regressions_total',
  'palisade_webhook_deliveries_total',
] as const;

export type ScanOutcome = 'ok' | 'incomplete' | 'failed';

const WORKLOAD_LABELS = ['workload', 'kind', 'identity'] as const;

export class ServeMetrics {
  readonly registry = new Registry();
  private readonly workloadScore: Gauge<(typeof WORKLOAD_LABELS)[number]>;
  private readonly workloadDepth: Gauge<(typeof WORKLOAD_LABELS)[number]>;
  private readonly workloadEffectiveDepth: Gauge<(typeof WORKLOAD_LABELS)[number]>;
  private readonly workloadApplicable: Gauge<(typeof WORKLOAD_LABELS)[number]>;
  private readonly layerScore: Gauge<(typeof WORKLOAD_LABELS)[number] | 'layer'>;
  private readonly layerHolds: Gauge<(typeof WORKLOAD_LABELS)[number] | 'layer'>;
  private readonly findings: Gauge<'severity' | 'check' | 'status'>;
  private readonly scanDuration: Gauge;
  private readonly targetDuration: Gauge<'target' | 'kind'>;
  private readonly targetUp: Gauge<'target' | 'kind'>;
  private readonly targetErrors: Counter<'target' | 'kind'>;
  private readonly scans: Counter<'outcome'>;
  readonly skipped: Counter;
  private readonly lastScan: Gauge;
  private readonly lastSuccess: Gauge;
  readonly regressions: Counter;
  readonly webhookDeliveries: Counter<'outcome'>;

  constructor() {
    const registers = [this.registry];
    const labelNames = WORKLOAD_LABELS;
    this.workloadScore = new Gauge({ name: 'palisade_workload_score', help: 'Own score of a workload (0-100), from the last scan; absent when no check applied.', labelNames, registers });
    this.workloadDepth = new Gauge({ name: 'palisade_workload_depth', help: 'Layers of defence holding for a workload (own), from the last scan.', labelNames, registers });
    this.workloadEffectiveDepth = new Gauge({
      name: 'palisade_workload_effective_depth',
      help: 'Layers holding for a workload counting what it runs on (container -> engine -> VM); only for workloads that run on a scanned one.',
      labelNames,
      registers,
    });
    this.workloadApplicable = new Gauge({ name: 'palisade_workload_applicable_layers', help: 'Layers with at least one applicable check for a workload.', labelNames, registers });
    this.layerScore = new Gauge({ name: 'palisade_layer_score', help: 'Score of one layer of a workload (0-100); absent when not applicable.', labelNames: [...labelNames, 'layer'], registers });
    this.layerHolds = new Gauge({ name: 'palisade_layer_holds', help: '1 when the layer holds for the workload, 0 when it fails; absent when not applicable.', labelNames: [...labelNames, 'layer'], registers });
    this.findings = new Gauge({ name: 'palisade_findings', help: 'Findings of the last scan by severity, check and status (fail, error, waived).', labelNames: ['severity', 'check', 'status'], registers });
    this.scanDuration = new Gauge({ name: 'palisade_scan_duration_seconds', help: 'Wall time of the last scan.', registers });
    this.targetDuration = new Gauge({ name: 'palisade_target_scan_duration_seconds', help: 'Time the last scan spent on each target.', labelNames: ['target', 'kind'], registers });
    this.targetUp = new Gauge({ name: 'palisade_target_up', help: '1 when the last scan reached the target, 0 when it was in error.', labelNames: ['target', 'kind'], registers });
    this.targetErrors = new Counter({ name: 'palisade_target_errors_total', help: 'Scans in which the target could not be scanned.', labelNames: ['target', 'kind'], registers });
    this.scans = new Counter({ name: 'palisade_scans_total', help: 'Scheduled scans by outcome: ok, incomplete (a target or workload in error), failed (not recorded).', labelNames: ['outcome'], registers });
    this.skipped = new Counter({ name: 'palisade_scans_skipped_total', help: 'Ticks skipped because the previous scan was still running.', registers });
    this.lastScan = new Gauge({ name: 'palisade_last_scan_timestamp_seconds', help: 'When the last scan finished (unix seconds), whatever its outcome.', registers });
    this.lastSuccess = new Gauge({ name: 'palisade_last_successful_scan_timestamp_seconds', help: 'When the last scan that was recorded finished (unix seconds).', registers });
    this.regressions = new Counter({ name: 'palisade_regressions_total', help: 'Scans that regressed against the previous one (new finding at or above the threshold, or a layer lost).', registers });
    this.webhookDeliveries = new Counter({ name: 'palisade_webhook_deliveries_total', help: 'Webhook deliveries by outcome (delivered, failed).', labelNames: ['outcome'], registers });
    for (const outcome of ['ok', 'incomplete', 'failed'] as const) this.scans.inc({ outcome }, 0);
    for (const outcome of ['delivered', 'failed'] as const) this.webhookDeliveries.inc({ outcome }, 0);
  }

  /** A scan that was recorded. */
  scanned(result: ScanResult): void {
    for (const g of [this.workloadScore, this.workloadDepth, this.workloadEffectiveDepth, this.workloadApplicable, this.layerScore, this.layerHolds, this.findings]) {
      g.reset();
    }
    for (const w of result.workloads) {
      // A workload that could not be scanned has no depth: absent, not 0 (palisade_target_up says why).
      if (w.error !== undefined) continue;
      const labels = { workload: w.name, kind: w.kind, identity: w.identity };
      if (w.score !== null) this.workloadScore.set(labels, w.score);
      this.workloadDepth.set(labels, w.depth.holding);
      this.workloadApplicable.set(labels, w.depth.applicable);
      if (w.effective) this.workloadEffectiveDepth.set(labels, w.effective.depth.holding);
      for (const l of w.layers) {
        if (l.score !== null) this.layerScore.set({ ...labels, layer: l.layer }, l.score);
        if (l.holds !== null) this.layerHolds.set({ ...labels, layer: l.layer }, l.holds ? 1 : 0);
      }
    }
    const counts = new Map<string, { severity: string; check: string; status: string; n: number }>();
    for (const f of result.findings) {
      if (f.status !== 'fail' && f.status !== 'error' && f.status !== 'waived') continue;
      const key = `${f.severity}\u0000${f.checkId}\u0000${f.status}`;
      const c = counts.get(key);
      if (c) c.n++;
      else counts.set(key, { severity: f.severity, check: f.checkId, status: f.status, n: 1 });
    }
    for (const c of counts.values()) this.findings.set({ severity: c.severity, check: c.check, status: c.status }, c.n);
    this.targetDuration.reset();
    this.targetUp.reset();
    for (const t of result.targets) {
      const labels = { target: t.target, kind: t.kind };
      this.targetDuration.set(labels, t.durationMs / 1000);
      this.targetUp.set(labels, t.status === 'ok' ? 1 : 0);
      if (t.status === 'error') this.targetErrors.inc(labels);
      else this.targetErrors.inc(labels, 0);
    }
    const finished = Date.parse(result.finishedAt) / 1000;
    this.scanDuration.set((Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000);
    this.lastScan.set(finished);
    this.lastSuccess.set(finished);
    this.scans.inc({ outcome: result.incomplete ? 'incomplete' : 'ok' });
  }

  /** A scan that threw or could not be recorded. */
  failed(at: Date): void {
    this.lastScan.set(at.getTime() / 1000);
    this.scans.inc({ outcome: 'failed' });
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
