// Built-in scoring defaults. policies/default.yaml states the same values so
// users can read and copy them; a test keeps the two in step.
import type { Layer, Severity } from '../model/check.js';

export const DEFAULT_SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = {
  critical: 10,
  high: 6,
  medium: 3,
  low: 1,
  info: 0.5,
};

export const DEFAULT_LAYER_WEIGHTS: Readonly<Record<Layer, number>> = {
  isolation: 3,
  'least-privilege': 2,
  confinement: 2,
  immutability: 1,
  provenance: 2,
  'resource-limits': 1,
  segmentation: 2,
  access: 2,
  patching: 3,
};

export const DEFAULT_LAYER_THRESHOLD = 75;
export const DEFAULT_FAIL_ON: Severity | 'none' = 'high';
