-- palisade history, schema version 1: scans, their targets, workloads and findings.
-- One row per scan; everything else hangs off it and goes with it (ON DELETE CASCADE).

-- The rule descriptions of a scan (check metadata), shared by every scan that ran the same checks.
-- Per-row documents are `json`, not `jsonb`: written once, read whole, never
-- indexed, and `json` input costs a fraction of `jsonb`'s (bulk inserts).
CREATE TABLE rule_sets (
  hash text PRIMARY KEY,
  rules json NOT NULL
);

CREATE TABLE scans (
  id uuid PRIMARY KEY,
  scope text NOT NULL,
  command text NOT NULL,
  policy_name text NOT NULL,
  policy_source text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  tool_version text NOT NULL,
  gate jsonb NOT NULL,
  gate_passed boolean NOT NULL,
  incomplete boolean NOT NULL,
  -- Findings by status (passes included).
  summary jsonb NOT NULL,
  rule_set text NOT NULL REFERENCES rule_sets (hash),
  waivers jsonb NOT NULL,
  -- The rest of the report: options, baseline summary.
  extra jsonb NOT NULL,
  -- Aggregates for listings (so `palisade history` over many scans reads no workloads).
  target_count integer NOT NULL,
  target_errors integer NOT NULL,
  workload_count integer NOT NULL,
  mean_score double precision,
  min_depth integer
);
CREATE INDEX scans_scope_started ON scans (scope, started_at DESC);
CREATE INDEX scans_started ON scans (started_at);

CREATE TABLE scan_targets (
  scan_id uuid NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  ordinal integer NOT NULL,
  target text NOT NULL,
  kind text NOT NULL,
  status text NOT NULL,
  error text,
  workloads integer NOT NULL,
  duration_ms double precision NOT NULL,
  PRIMARY KEY (scan_id, ordinal)
);

CREATE TABLE workloads (
  scan_id uuid NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  ordinal integer NOT NULL,
  -- Unique within the scan; changes with container re-creation.
  workload_id text NOT NULL,
  -- Stable across re-creation (the SARIF fingerprints' identity): history follows this.
  identity text NOT NULL,
  kind text NOT NULL,
  name text NOT NULL,
  parent text,
  score double precision,
  depth_holding integer NOT NULL,
  depth_applicable integer NOT NULL,
  effective_score double precision,
  effective_holding integer,
  effective_applicable integer,
  -- Per layer: score, holds, counts, criticalFailure.
  layers json NOT NULL,
  -- Labels, location, image, error, warnings, effective chain.
  detail json NOT NULL,
  PRIMARY KEY (scan_id, ordinal)
);

CREATE TABLE findings (
  scan_id uuid NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  ordinal integer NOT NULL,
  fingerprint text NOT NULL,
  check_id text NOT NULL,
  workload_id text NOT NULL,
  status text NOT NULL,
  severity text NOT NULL,
  layer text NOT NULL,
  message text NOT NULL,
  waiver json,
  -- Where the evidence came from: `source` and `path` of the evidence.
  location text,
  -- Evidence, key, reason, baseline; title, remediation, references when they differ from the rule's.
  detail json NOT NULL,
  PRIMARY KEY (scan_id, ordinal)
);
