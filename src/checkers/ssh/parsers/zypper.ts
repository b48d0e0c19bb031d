// zypper's tables (`list-patches`, `list-updates`), `info -t patch` blocks as
// the probe filters them, and `needs-rebooting`.
import { lines, splitNameArch } from './lines.js';

/**
 * Rows of every `a | b | c` table in the text, keyed by the header cells.
 * A table starts at a header row followed by a `---+---` rule; rows end at a
 * line without `|`.
 */
export function parseZypperTables(text: string): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  const all = lines(text);
  let header: string[] | undefined;
  for (let i = 0; i < all.length; i++) {
    const line = all[i] as string;
    if (!line.includes('|')) {
      header = undefined;
      continue;
    }
    const next = all[i + 1];
    if (!header && next !== undefined && /^[-+|\s]+$/.test(next) && next.includes('-')) {
      header = line.split('|').map((c) => c.trim());
      i++;
      continue;
    }
    if (!header) continue;
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length !== header.length) continue;
    const row: Record<string, string> = {};
    header.forEach((h, index) => {
      row[h] = cells[index] as string;
    });
    rows.push(row);
  }
  return rows;
}

export interface ZypperPatch {
  name: string;
  repository: string;
  category: string;
  severity: string;
  status: string;
  summary: string;
}

export function parseZypperPatches(text: string): ZypperPatch[] {
  const out: ZypperPatch[] = [];
  for (const row of parseZypperTables(text)) {
    const name = row['Name'];
    if (!name || row['Category'] === undefined) continue;
    out.push({
      name,
      repository: row['Repository'] ?? '',
      category: row['Category'],
      severity: row['Severity'] ?? '',
      status: row['Status'] ?? '',
      summary: row['Summary'] ?? '',
    });
  }
  return out;
}

export interface ZypperUpdate {
  name: string;
  arch: string;
  installed: string;
  candidate: string;
  repository: string;
}

export function parseZypperUpdates(text: string): ZypperUpdate[] {
  const out: ZypperUpdate[] = [];
  for (const row of parseZypperTables(text)) {
    const name = row['Name'];
    const installed = row['Current Version'];
    const candidate = row['Available Version'];
    if (!name || !installed || !candidate) continue;
    out.push({ name, arch: row['Arch'] ?? '', installed, candidate, repository: row['Repository'] ?? '' });
  }
  return out;
}

export interface ZypperPatchInfo {
  patch: string;
  status: string;
  category: string;
  /** Packages the patch updates: its `Conflicts` entries (`name.arch < version`). */
  packages: { name: string; arch?: string; fixedVersion: string }[];
}

export function parseZypperPatchInfo(text: string): ZypperPatchInfo[] {
  const out: ZypperPatchInfo[] = [];
  let current: ZypperPatchInfo | undefined;
  let inConflicts = false;
  for (const line of lines(text)) {
    const header = /^Information for patch (\S+?):?\s*$/.exec(line);
    if (header) {
      current = { patch: header[1] as string, status: '', category: '', packages: [] };
      out.push(current);
      inConflicts = false;
      continue;
    }
    if (!current) continue;
    const field = /^(Status|Category|Conflicts)\s*:\s*(.*)$/.exec(line);
    if (field) {
      if (field[1] === 'Status') current.status = (field[2] as string).trim();
      if (field[1] === 'Category') current.category = (field[2] as string).trim();
      inConflicts = field[1] === 'Conflicts';
      continue;
    }
    if (inConflicts && /^\s/.test(line)) {
      const entry = /^\s+(\S+)\s*<=?\s*(\S+)\s*$/.exec(line);
      if (!entry) continue;
      const target = (entry[1] as string).replace(/^srcpackage:/, '');
      const split = splitNameArch(target);
      if (split.arch === 'src' || split.arch === 'nosrc') continue;
      current.packages.push({ name: split.name, ...(split.arch ? { arch: split.arch } : {}), fixedVersion: entry[2] as string });
      continue;
    }
    inConflicts = false;
  }
  return out;
}
