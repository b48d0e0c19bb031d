// Loads the Docker API answers saved by scripts/record-docker-fixtures.ts.
// Deliberately free of nock: importing nock patches http for the whole file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'docker', 'api');

export interface Recording {
  /** File name inside the scenario folder, e.g. `container-hardened.json`. */
  file: string;
  request: { method: 'GET'; path: string; query: Record<string, string> };
  status: number;
  body: unknown;
}

export function loadScenario(scenario: string): Recording[] {
  const dir = join(FIXTURES, scenario);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Omit<Recording, 'file'>) }));
}

/** The saved body of one call, e.g. `body('risky', 'container-risky.json')`. */
export function body(scenario: string, file: string): unknown {
  const found = loadScenario(scenario).find((r) => r.file === file);
  if (!found) throw new Error(`no recording ${file} in scenario ${scenario}`);
  return found.body;
}
