// Option parsers shared by the commands (light: no heavy imports).
import { InvalidArgumentError } from 'commander';

export function parseIntOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

export function parseScore(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError('must be a number from 0 to 100');
  return n;
}

/** Repeatable option: collects every value. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
