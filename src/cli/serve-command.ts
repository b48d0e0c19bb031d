// `palisade serve`: the scan on a cron schedule, recorded in the history
// store, with /metrics, /healthz and the latest HTML report over HTTP, and a
// webhook on regressions. Heavy modules load inside the action.
import { InvalidArgumentError, Option, type Command } from 'commander';

import { UsageError } from '../errors.js';
import { SEVERITIES, type Severity } from '../model/check.js';
import type { ScanResult } from '../model/report.js';
import type { CliIO } from './main.js';
import { addDbOptions, defaultScope, openHistoryFromFlags, type DbFlags } from './record-options.js';
import { parseIntOption } from './options.js';
import { addScanSelectionOptions, type ScanSelectionFlags } from './scan-options.js';

export interface ServeFlags extends ScanSelectionFlags, DbFlags {
  schedule?: string;
  timezone?: string;
  listen: string;
  scope?: string;
  webhook?: string;
  webhookTimeout: number;
  webhookAttempts: number;
  regressionThreshold: Severity;
  initialScan: boolean;
  trendDays: number;
  expiryDays: number;
}

export type ServeIO = CliIO;

/** `--schedule`, else the policy's `schedule`; neither is a usage error. */
export function scheduleSource(flags: Pick<ServeFlags, 'schedule'>, policySchedule: string | undefined, policySource: string): { expression: string; what: string } {
  if (flags.schedule !== undefined) return { expression: flags.schedule, what: '--schedule' };
  if (policySchedule !== undefined) return { expression: policySchedule, what: `schedule in policy ${policySource}` };
  throw new UsageError('palisade serve needs a schedule: --schedule "0 */6 * * *", or `schedule:` in the policy');
}

function positive(name: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || n > max) throw new InvalidArgumentError(`${name} must be a number above 0 and at most ${max}`);
    return n;
  };
}

async function serve(flags: ServeFlags, io: ServeIO): Promise<number> {
  const [{ parseSchedule, Scheduler }, { systemClock }, { ServeService }, http, { scan }, { webhookUrlProblem, describeWebhook }] = await Promise.all([
    import('../serve/scheduler.js'),
    import('../serve/clock.js'),
    import('../serve/service.js'),
    import('../serve/http.js'),
    import('../scan/scan.js'),
    import('../serve/webhook.js'),
  ]);
  const { policyFor, prepareScan } = await import('./scan-setup.js');
  const log = (message: string) => io.stderr.write(`palisade serve: ${new Date().toISOString()} ${message}\n`);
  // Everything that can be wrong with the input fails here, before the first tick.
  const policy = policyFor(flags);
  const source = scheduleSource(flags, policy.schedule, policy.source);
  const schedule = parseSchedule(source.expression, { timezone: flags.timezone, what: source.what });
  const address = http.parseListen(flags.listen);
  const webhookUrl = flags.webhook ?? (io.env['PALISADE_WEBHOOK_URL'] || undefined);
  if (webhookUrl !== undefined) {
    const problem = webhookUrlProblem(webhookUrl);
    if (problem) throw new UsageError(`--webhook ${describeWebhook(webhookUrl)} ${problem}`);
  }
  await prepareScan(flags, io, policy);
  const store = await openHistoryFromFlags(flags, io);
  const service = new ServeService({
    // The policy and inventory are read again for each run: edits apply at the next tick.
    prepare: () => prepareScan(flags, io),
    scan,
    store,
    // The same scope as `palisade scan --record` with the same flags, so history and diff see one series.
    scope: (result) => defaultScope(result, flags, io),
    clock: systemClock,
    log,
    threshold: flags.regressionThreshold,
    webhook: webhookUrl === undefined ? undefined : { url: webhookUrl, timeoutMs: flags.webhookTimeout * 1000, attempts: flags.webhookAttempts },
    trendDays: flags.trendDays,
    expiryDays: flags.expiryDays,
  });
  let server: import('node:http').Server | undefined;
  try {
    // The scope depends only on the policy's name and the flags: known before the first scan.
    await service.init(defaultScope({ policy: { name: policy.name } } as ScanResult, flags, io));
    server = http.createServeServer(service, log);
    const bound = await http.listen(server, address);
    const scheduler = new Scheduler(schedule, systemClock, (at) => service.runOnce(at), {
      started: (at) => log(`scan started (tick ${at.toISOString()})`),
      skipped: (at) => {
        service.metrics.skipped.inc();
        log(`tick ${at.toISOString()} skipped: the previous scan is still running`);
      },
      failed: (at, error) => log(`tick ${at.toISOString()}: ${String(error)}`),
    });
    const host = bound.host.includes(':') ? `[${bound.host}]` : bound.host;
    log(`listening on http://${host}:${bound.port} (/metrics, /healthz, /report); schedule "${schedule.expression}" (${source.what}); history ${store.description}${webhookUrl ? `; webhook ${describeWebhook(webhookUrl)}` : ''}`);
    scheduler.start();
    log(`next scan at ${scheduler.next?.toISOString() ?? 'never (the schedule has no further run)'}`);
    if (flags.initialScan) void scheduler.trigger();
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    scheduler.stop();
    log(`${signal}: stopping`);
    const outcome = await service.shutdown();
    if (outcome === 'abandoned') {
      log('the scan in progress was abandoned: nothing of it was recorded');
      // Its requests may still wait on a silent target; this timer fires only if they keep the process alive.
      setTimeout(() => process.exit(), 2000).unref();
    }
    if (outcome === 'completed') log('the scan in progress was recorded before stopping');
  } finally {
    if (server) await http.closeServer(server);
    await store.close();
  }
  log('stopped');
  return 0;
}

export function registerServeCommand(program: Command, io: ServeIO, setExit: (code: number) => void): void {
  const command = addScanSelectionOptions(
    program
      .command('serve')
      .description('Scan on a schedule, record each scan in the history, serve /metrics, /healthz and the latest HTML report, and call a webhook on regressions.'),
  );
  addDbOptions(command)
    .option('--schedule <cron>', 'cron expression, e.g. "0 */6 * * *" (default: `schedule` in the policy)')
    .option('--timezone <tz>', 'time zone of the schedule, e.g. Europe/Berlin (default: the machine\'s)')
    .option('--listen <host:port>', 'HTTP address for /metrics, /healthz and /report', '127.0.0.1:9464')
    .option('--scope <name>', 'history scope of the recorded scans (default as for scan --record: policy, inventory and --docker values; $PALISADE_SCOPE)')
    .option('--webhook <url>', 'POST a JSON (Slack-compatible) message here on a regression (default $PALISADE_WEBHOOK_URL; prefer the variable: a URL on the command line is visible to other users)')
    .addOption(new Option('--webhook-timeout <seconds>', 'time limit of each webhook attempt').default(10).argParser(positive('--webhook-timeout', 300)))
    .addOption(new Option('--webhook-attempts <n>', 'webhook attempts, the first included (backoff 1 s, doubling)').default(4).argParser(parseIntOption('--webhook-attempts', 1, 10)))
    .addOption(new Option('--regression-threshold <severity>', 'a new failing finding at or above this severity is a regression').choices([...SEVERITIES]).default('high'))
    .option('--no-initial-scan', 'wait for the first scheduled time instead of scanning at start')
    .addOption(new Option('--trend-days <n>', 'days of history in the report\'s trend').default(30).argParser(parseIntOption('--trend-days', 1, 3650)))
    .addOption(new Option('--expiry-days <n>', 'list waivers expiring within n days in the report').default(14).argParser(parseIntOption('--expiry-days', 0, 3650)))
    .action(async (flags: ServeFlags) => {
      setExit(await serve(flags, io));
    });
}
