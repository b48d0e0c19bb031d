// How inventory.schema.json is compiled: shared by scripts/build-validators.ts
// (ahead of time) and the inventory loader's tests.
import type { Options } from 'ajv';

// verbose: errors carry parentSchema, so a message can say what is expected
// (the `x-expected` annotation each constrained definition carries).
export const INVENTORY_AJV_OPTIONS: Options = { allErrors: true, strict: true, verbose: true };
export const INVENTORY_KEYWORDS = ['x-expected'] as const;
