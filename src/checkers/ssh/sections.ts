// Splits the probe's output (see probe.ts) into sections. The host controls
// this text, so nothing here trusts it: garbage before, between or inside
// sections, truncation anywhere, missing end markers and repeated markers all
// yield a result, never an exception, in one linear pass.

export type SectionHow = 'user' | 'root' | 'sudo' | 'skipped';

export interface ProbeSection {
  name: string;
  /** How the section ran, from its begin marker; undefined when the marker carried none. */
  how: SectionHow | undefined;
  /** Exit code of the section's command; undefined when it was skipped or its end marker is missing. */
  rc: number | undefined;
  /** What the command wrote to stdout. */
  output: string;
  /** What it wrote to stderr, one line per marker line, in order. */
  stderr: string;
  /** The end marker was seen. */
  complete: boolean;
}

export interface ProbeOutput {
  /** Sections by name; a repeated section keeps its first occurrence. */
  sections: Map<string, ProbeSection>;
  /** The `@@palisade:probe:N` header was seen. */
  started: boolean;
  /** The `@@palisade:done` trailer was seen: the script ran to its end. Nothing after it is read. */
  finished: boolean;
  /** Anomalies worth a log line: repeated sections, stray end markers. */
  warnings: string[];
}

const PREFIX = '@@palisade:';
const ERR = '@@palisade:err:';
const BEGIN = /^@@palisade:begin:([a-z0-9][a-z0-9-]{0,63})(?::([a-z-]{1,16}))?$/;
const END = /^@@palisade:end:([a-z0-9][a-z0-9-]{0,63}):(-|\d{1,3})$/;
const HEADER = /^@@palisade:probe:\d+$/;
const DONE = '@@palisade:done';
const MAX_WARNINGS = 20;

interface OpenSection {
  name: string;
  how: SectionHow | undefined;
  /** Whether this occurrence is kept (false for a repeat of a section already seen). */
  keep: boolean;
  out: string[];
  err: string[];
  /** Start of the current run of stdout lines not yet copied into `out`, or -1. */
  runStart: number;
  runEnd: number;
}

function parseHow(raw: string | undefined): SectionHow | undefined {
  return raw === 'user' || raw === 'root' || raw === 'sudo' || raw === 'skipped' ? raw : undefined;
}

/** Removes the one newline the end marker's `printf '\n@@...'` adds. */
function dropMarkerNewline(text: string): string {
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

export function splitProbeOutput(text: string): ProbeOutput {
  const sections = new Map<string, ProbeSection>();
  const warnings: string[] = [];
  let started = false;
  let finished = false;
  let open: OpenSection | undefined;

  const warn = (message: string): void => {
    if (warnings.length < MAX_WARNINGS) warnings.push(message);
  };

  const flushRun = (section: OpenSection): void => {
    if (section.runStart >= 0) {
      section.out.push(text.slice(section.runStart, section.runEnd));
      section.runStart = -1;
    }
  };

  const close = (rc: number | undefined, complete: boolean): void => {
    if (!open) return;
    flushRun(open);
    if (open.keep) {
      sections.set(open.name, {
        name: open.name,
        how: open.how,
        rc,
        output: dropMarkerNewline(open.out.join('')),
        stderr: open.err.join('\n'),
        complete,
      });
    }
    open = undefined;
  };

  let pos = 0;
  const length = text.length;
  while (pos < length) {
    const newline = text.indexOf('\n', pos);
    const lineEnd = newline === -1 ? length : newline;
    const next = newline === -1 ? length : newline + 1;

    if (text.startsWith(PREFIX, pos)) {
      let line = text.slice(pos, lineEnd);
      if (line.endsWith('\r')) line = line.slice(0, -1);

      if (line.startsWith(ERR)) {
        if (open) {
          flushRun(open);
          if (open.keep) open.err.push(line.slice(ERR.length));
        }
        pos = next;
        continue;
      }

      const begin = line.length <= 128 ? BEGIN.exec(line) : null;
      if (begin) {
        const name = begin[1] as string;
        if (open) {
          warn(`section ${open.name} has no end marker`);
          close(undefined, false);
        }
        const keep = !sections.has(name);
        if (!keep) warn(`section ${name} repeated; the first one is kept`);
        open = { name, how: parseHow(begin[2]), keep, out: [], err: [], runStart: -1, runEnd: -1 };
        pos = next;
        continue;
      }

      const end = line.length <= 128 ? END.exec(line) : null;
      if (end) {
        if (open && open.name === end[1]) {
          close(end[2] === '-' ? undefined : Number(end[2]), true);
        } else {
          warn(`stray end marker for section ${end[1] as string}`);
        }
        pos = next;
        continue;
      }

      if (HEADER.test(line)) {
        started = true;
        pos = next;
        continue;
      }
      if (line === DONE) {
        if (open) {
          warn(`section ${open.name} has no end marker`);
          close(undefined, false);
        }
        finished = true;
        // The script has ended; whatever follows comes from the login shell.
        if (text.slice(next).trim() !== '') warn('output after the probe ended was ignored');
        break;
      }
      // Anything else that merely looks like a marker is ordinary output.
    }

    if (open) {
      if (open.runStart < 0) open.runStart = pos;
      open.runEnd = next;
    }
    pos = next;
  }

  if (open) {
    warn(`section ${open.name} has no end marker`);
    close(undefined, false);
  }

  return { sections, started, finished, warnings };
}
