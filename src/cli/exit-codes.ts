// Exit codes, documented in the README and `palisade --help`.
export const EXIT = {
  /** Scan complete and the gate passed. */
  ok: 0,
  /** Scan complete and the gate failed (findings at or above --fail-on, or a score under --min-score). */
  gateFailed: 1,
  /** Bad command line, or an invalid policy: nothing was scanned. */
  usage: 2,
  /** A target or workload could not be scanned; the report covers the rest. Wins over 1. */
  incomplete: 3,
  /** A bug in palisade. */
  internal: 4,
  /** The history database could not be opened or written (unreachable, locked, damaged, newer schema); the report was written. */
  history: 5,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0  scan complete, gate passed
  1  gate failed (a finding at or above --fail-on, new since --baseline if given, or a workload under --min-score or --min-depth)
  2  usage or policy error (nothing scanned)
  3  scan incomplete (a target or workload could not be scanned; reported, others scanned)
  4  internal error
  5  history database unavailable, locked or damaged (--record, history, diff, merge); the report was still written`;
