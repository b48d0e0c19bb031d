-- Schema version 3: findings say per row only what differs from finding to
-- finding. What every finding of one check shares within a scan (check id,
-- severity, layer, title, remediation, references) is one row of scan_checks;
-- a finding names its workload by ordinal instead of repeating the id; the
-- evidence location column (a copy of detail.evidence) is gone. Workloads
-- carry the layers that hold, so trends read no layer documents.
-- Measured in bench/history.ts (docs/benchmarks.md, History store).

-- The checks of a scan as its findings show them: one row per distinct
-- (check id, severity, layer, title, remediation, references).
CREATE TABLE scan_checks (
  scan_id uuid NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  ordinal integer NOT NULL,
  check_id text NOT NULL,
  severity text NOT NULL,
  layer text NOT NULL,
  title text NOT NULL,
  remediation text NOT NULL,
  -- The references list.
  refs json NOT NULL,
  PRIMARY KEY (scan_id, ordinal)
);

-- Workloads gain the layers that hold (in the order of `layers`). Rewritten
-- rather than updated in place, which would leave every old row behind as a
-- dead one (PGlite runs no autovacuum).
DROP INDEX workloads_identity;
ALTER TABLE workloads RENAME TO workloads_v2;
ALTER INDEX workloads_pkey RENAME TO workloads_v2_pkey;

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
  -- Per layer: score, holds, counts, criticalFailure; written since version 3
  -- as [layer, score, holds, criticalFailure, pass, fail, waived, not-applicable, error].
  layers json NOT NULL,
  -- Labels, location, image, error, warnings, effective chain.
  detail json NOT NULL,
  -- The layers that hold.
  holding text[] NOT NULL,
  PRIMARY KEY (scan_id, ordinal)
);
INSERT INTO workloads
SELECT w.*, ARRAY(SELECT l->>'layer' FROM json_array_elements(w.layers) AS l WHERE l->>'holds' = 'true')
FROM workloads_v2 w;
CREATE INDEX workloads_identity ON workloads (identity, scan_id);
DROP TABLE workloads_v2;

-- Version 2's findings, rewritten below. Its fingerprint index served no query.
DROP INDEX findings_fingerprint;
ALTER TABLE findings RENAME TO findings_v2;
ALTER INDEX findings_pkey RENAME TO findings_v2_pkey;

-- No foreign key to scans: checking one costs a lookup per row, a quarter of
-- the time to load a scan's findings; the store writes a scan's findings in
-- the scan's transaction and deletes them with it (prune).
CREATE TABLE findings (
  scan_id uuid NOT NULL,
  ordinal integer NOT NULL,
  -- scan_checks.ordinal of this scan.
  check_ordinal integer NOT NULL,
  -- workloads.ordinal of this scan; NULL when the finding's workload id is no
  -- workload's of the scan, and then workload_id holds it.
  workload_ordinal integer,
  workload_id text,
  status text NOT NULL,
  fingerprint text NOT NULL,
  -- NULL when it is the check's title (passes).
  message text,
  waiver json,
  -- Evidence, key, reason, baseline, location: only those the finding has; NULL for none.
  detail json,
  PRIMARY KEY (scan_id, ordinal)
);

-- Title, remediation and references of version 2's findings: their own when
-- they differed from the rule's (detail), else the rule's (the last rule of
-- that id in the scan's rule set), else the check id, '' and [].
CREATE TEMPORARY TABLE v2_rules ON COMMIT DROP AS
SELECT DISTINCT ON (s.hash, e.rule->>'id') s.hash, e.rule->>'id' AS check_id, e.rule->'meta'->>'title' AS title,
       e.rule->'meta'->>'remediation' AS remediation, e.rule->'meta'->'references' AS refs
FROM rule_sets s, json_array_elements(s.rules) WITH ORDINALITY AS e(rule, n)
ORDER BY s.hash, e.rule->>'id', e.n DESC;
ANALYZE v2_rules;

CREATE TEMPORARY TABLE v2_findings ON COMMIT DROP AS
SELECT f.scan_id, f.ordinal, f.check_id, f.severity, f.layer,
       COALESCE(d.j->>'title', r.title, f.check_id) AS title,
       COALESCE(d.j->>'remediation', r.remediation, '') AS remediation,
       COALESCE((d.j->'references')::text, r.refs::text, '[]') AS refs,
       f.workload_id, f.status, f.fingerprint, f.message, f.waiver,
       -- The rest of detail as it was written (json keeps key order; jsonb would not).
       CASE WHEN NOT d.j ?| ARRAY['title', 'remediation', 'references'] THEN f.detail
            ELSE (SELECT json_object_agg(e.key, e.value ORDER BY e.n)
                    FROM json_each(f.detail) WITH ORDINALITY AS e(key, value, n)
                   WHERE e.key NOT IN ('title', 'remediation', 'references')) END AS detail
FROM findings_v2 f
CROSS JOIN LATERAL (SELECT f.detail::jsonb AS j) d
JOIN scans s ON s.id = f.scan_id
LEFT JOIN v2_rules r ON r.hash = s.rule_set AND r.check_id = f.check_id;
ANALYZE v2_findings;

CREATE TEMPORARY TABLE v2_checks ON COMMIT DROP AS
SELECT scan_id, check_id, severity, layer, title, remediation, refs,
       (row_number() OVER (PARTITION BY scan_id ORDER BY min(ordinal)) - 1)::integer AS ordinal
FROM v2_findings
GROUP BY scan_id, check_id, severity, layer, title, remediation, refs;
ANALYZE v2_checks;

INSERT INTO scan_checks (scan_id, ordinal, check_id, severity, layer, title, remediation, refs)
SELECT scan_id, ordinal, check_id, severity, layer, title, remediation, refs::json FROM v2_checks;

INSERT INTO findings (scan_id, ordinal, check_ordinal, workload_ordinal, workload_id, status, fingerprint, message, waiver, detail)
SELECT f.scan_id, f.ordinal, c.ordinal, w.ordinal, CASE WHEN w.ordinal IS NULL THEN f.workload_id END,
       f.status, f.fingerprint, CASE WHEN f.message = c.title THEN NULL ELSE f.message END, f.waiver, f.detail
FROM v2_findings f
JOIN v2_checks c ON c.scan_id = f.scan_id AND c.check_id = f.check_id AND c.severity = f.severity AND c.layer = f.layer
                AND c.title = f.title AND c.remediation = f.remediation AND c.refs = f.refs
LEFT JOIN (SELECT scan_id, workload_id, min(ordinal) AS ordinal FROM workloads GROUP BY scan_id, workload_id) w
       ON w.scan_id = f.scan_id AND w.workload_id = f.workload_id;

DROP TABLE findings_v2;
