// The inventory as palisade uses it, whatever file it came from, and the
// shape of a `palisade.yaml` document (kept in step with inventory.schema.json
// by test/inventory/schema.test.ts).

/** One hop of a ProxyJump chain, fully resolved. */
export interface JumpSpec {
  /** Inventory host name, or the spec as written (`admin@bastion.example.com:2222`). */
  name: string;
  address: string;
  port: number;
  user: string;
  identityFile?: string;
  hostKeyFingerprint?: string;
}

/** Where something is declared: file and 1-based line (SARIF locations use it). */
export interface SourceLocation {
  file: string;
  line: number;
}

export interface InventoryHost {
  name: string;
  address: string;
  port: number;
  user: string;
  /** Absolute path of a private key file. */
  identityFile?: string;
  /** Name of the environment variable holding the key's passphrase (never the passphrase). */
  identityPassphraseEnv?: string;
  /** Pinned host key fingerprint, `SHA256:...` as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint?: string;
  knownHostsFiles: string[];
  tags: string[];
  segment?: string;
  sudo: boolean;
  /** Hops in connection order: the first is dialled directly, the target is reached through the last. */
  jump: JumpSpec[];
  /** A Docker engine reached through this host (its child engine): `ssh://user@host[:port]`, `tcp://...`, `unix://...`. */
  docker?: string;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  /** `StrictHostKeyChecking` as ssh config sets it, recorded only: palisade always verifies host keys. */
  strictHostKeyChecking?: string;
  source: SourceLocation;
}

export interface InventoryEngine {
  name: string;
  endpoint: string;
  source: SourceLocation;
}

export type InventoryFormat = 'palisade' | 'ssh-config' | 'ansible-ini' | 'ansible-yaml';

export interface Inventory {
  /** Absolute path of the file read. */
  file: string;
  format: InventoryFormat;
  hosts: InventoryHost[];
  engines: InventoryEngine[];
  /** Things palisade read but does not act on, each `file:line: what and why`. */
  warnings: string[];
}

/** The inventory read when no --inventory is given and the current folder has one. */
export const DEFAULT_INVENTORY_FILE = 'palisade.yaml';
export const DEFAULT_PORT = 22;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_COMMAND_TIMEOUT_MS = 120_000;

// ---- palisade.yaml document ----

/** Seconds as a number, or a string with a unit: `500ms`, `10s`, `2m`. */
export type Duration = number | string;

/** Settings `defaults` may carry; groups and hosts may override each. */
export interface DefaultsEntry {
  user?: string;
  port?: number;
  identity?: string;
  identityPassphraseEnv?: string;
  sudo?: boolean;
  connectTimeout?: Duration;
  commandTimeout?: Duration;
  knownHosts?: string | string[];
}

export interface GroupEntry extends DefaultsEntry {
  tags?: string[];
  segment?: string;
  jump?: string | string[];
}

export interface HostEntry extends GroupEntry {
  address?: string;
  hostKey?: string;
  groups?: string[];
  docker?: string;
}

export interface InventoryDocument {
  apiVersion: 'palisade/v1';
  kind: 'Inventory';
  defaults?: DefaultsEntry;
  groups?: Record<string, GroupEntry>;
  hosts?: Record<string, HostEntry>;
  /** Docker engines not tied to a host: name -> endpoint URL. */
  engines?: Record<string, string>;
}
