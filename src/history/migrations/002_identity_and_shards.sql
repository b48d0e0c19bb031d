-- Schema version 2: follow workloads by identity across scans quickly, and
-- remember which shard of a fleet scan a scan was (for `palisade merge --db`).
CREATE INDEX workloads_identity ON workloads (identity, scan_id);
-- Where a finding was seen before (`palisade diff` of a fingerprint across scans).
CREATE INDEX findings_fingerprint ON findings (fingerprint);

ALTER TABLE scans ADD COLUMN shard_group text;
ALTER TABLE scans ADD COLUMN shard_index integer;
ALTER TABLE scans ADD COLUMN shard_count integer;
CREATE INDEX scans_shard_group ON scans (shard_group) WHERE shard_group IS NOT NULL;
