// Public shapes of the Compose resolver: what `resolveCompose` returns, in
// the canonical long form that `docker compose config` prints.
//
// SECRETS: `environment`, `labels`, `build.args` and `raw` hold resolved values
// (Compose interpolates them, so does this resolver). Consumers that build
// facts or reports must take variable NAMES only (or redact values) and never
// copy a value into a finding, an error or a log line. The resolver itself
// never puts a variable's value into a ComposeError message.

/** Where a key or a sequence item was written. */
export interface SourcePosition {
  /** Absolute path of the file (the real path, symlinks resolved). */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/** `ports` in long syntax. */
export interface ResolvedPort {
  /** Container port (a number, or a range "8080-8081"). */
  target: number | string;
  /** Host port or range as a string ("8080", "9090-9091"); absent when Compose picks one. */
  published?: string;
  /** Host address ("127.0.0.1", "::1"); absent means all interfaces. */
  host_ip?: string;
  /** "tcp" (default), "udp" or "sctp". */
  protocol: string;
  /** "ingress" (default) or "host". */
  mode: string;
  name?: string;
  app_protocol?: string;
}

/** `volumes` of a service in long syntax. */
export interface ResolvedServiceVolume {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';
  /**
   * bind: absolute host path (relative sources are resolved against the
   * project directory, `~` against HOME); volume: the volume name (absent for
   * an anonymous volume); tmpfs: absent.
   */
  source?: string;
  /** Absolute path in the container. */
  target: string;
  read_only?: boolean;
  consistency?: string;
  bind?: {
    propagation?: string;
    create_host_path?: boolean;
    /** SELinux relabel: "z" (shared) or "Z" (private). */
    selinux?: 'z' | 'Z';
    recursive?: string;
  };
  volume?: { nocopy?: boolean; subpath?: string };
  tmpfs?: { size?: number | string; mode?: number };
  image?: { subpath?: string };
}

/** `devices` in long syntax. */
export interface ResolvedDevice {
  source: string;
  target: string;
  /** cgroup permissions, "rwm" when not written. */
  permissions: string;
}

export interface ResolvedHealthcheck {
  /**
   * The test as Compose stores it: ["CMD", ...], ["CMD-SHELL", "..."] (a plain
   * string is turned into CMD-SHELL) or ["NONE"].
   */
  test?: string[];
  /** True when `disable: true` or test is ["NONE"]. */
  disable?: boolean;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
  start_interval?: string;
}

export interface ResolvedResourceSet {
  /** CPUs as a number (e.g. 0.5). */
  cpus?: number;
  /** Memory in bytes. */
  memory?: number;
  pids?: number;
  devices?: Record<string, unknown>[];
  generic_resources?: Record<string, unknown>[];
}

export interface ResolvedDeploy {
  mode?: string;
  replicas?: number;
  resources?: { limits?: ResolvedResourceSet; reservations?: ResolvedResourceSet };
  restart_policy?: { condition?: string; delay?: string; max_attempts?: number; window?: string };
  labels?: Record<string, string>;
  placement?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ResolvedUlimit {
  soft: number;
  hard: number;
}

export interface ResolvedServiceNetwork {
  aliases?: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  priority?: number;
  [key: string]: unknown;
}

export interface ResolvedBuild {
  /** Absolute path of the build context (or a URL as written). */
  context: string;
  /** Dockerfile path relative to the context, as written (default "Dockerfile"). */
  dockerfile?: string;
  dockerfile_inline?: string;
  args?: Record<string, string | null>;
  target?: string;
  privileged?: boolean;
  network?: string;
  [key: string]: unknown;
}

/**
 * One service after -f merging, include, extends, interpolation and
 * normalisation to long syntax. Fields absent from every file are absent.
 * Durations stay strings as written ("30s"); byte sizes are numbers of bytes.
 */
export interface ResolvedService {
  name: string;
  image?: string;
  build?: ResolvedBuild;
  platform?: string;
  pull_policy?: string;
  container_name?: string;
  hostname?: string;
  domainname?: string;

  user?: string;
  group_add?: string[];
  privileged?: boolean;
  read_only?: boolean;
  init?: boolean;
  cap_add?: string[];
  cap_drop?: string[];
  security_opt?: string[];
  /** Map of sysctl name -> value (list syntax converted). */
  sysctls?: Record<string, string>;
  ulimits?: Record<string, ResolvedUlimit>;
  userns_mode?: string;
  cgroup?: string;
  cgroup_parent?: string;
  device_cgroup_rules?: string[];
  devices?: ResolvedDevice[];
  runtime?: string;
  isolation?: string;

  network_mode?: string;
  /** Map of network name -> attachment (list syntax converted; value may be null). */
  networks?: Record<string, ResolvedServiceNetwork | null>;
  pid?: string;
  ipc?: string;
  uts?: string;
  ports?: ResolvedPort[];
  expose?: string[];
  extra_hosts?: string[];
  dns?: string[];
  dns_search?: string[];
  dns_opt?: string[];
  links?: string[];
  external_links?: string[];
  mac_address?: string;

  volumes?: ResolvedServiceVolume[];
  volumes_from?: string[];
  /** tmpfs mounts as written (string converted to a one-item list). */
  tmpfs?: string[];
  shm_size?: number | string;
  working_dir?: string;
  secrets?: { source: string; target?: string; uid?: string; gid?: string; mode?: number }[];
  configs?: { source: string; target?: string; uid?: string; gid?: string; mode?: number }[];

  /**
   * Variables from `env_file` then `environment` (the latter wins); null means
   * "declared without a value and not set in the environment". VALUES MAY BE
   * SECRETS: use names only.
   */
  environment?: Record<string, string | null>;
  /** Labels (list syntax converted). Values may be sensitive. */
  labels?: Record<string, string>;
  /** env_file entries, paths absolute (already merged into `environment`). */
  env_file?: { path: string; required: boolean; format?: string }[];
  annotations?: Record<string, string>;

  command?: string[] | string | null;
  entrypoint?: string[] | string | null;
  healthcheck?: ResolvedHealthcheck;
  restart?: string;
  stop_signal?: string;
  stop_grace_period?: string;

  deploy?: ResolvedDeploy;
  /** Bytes. */
  mem_limit?: number;
  /** Bytes (-1 = unlimited). */
  memswap_limit?: number;
  /** Bytes. */
  mem_reservation?: number;
  mem_swappiness?: number;
  cpus?: number;
  cpu_shares?: number;
  cpu_quota?: number;
  cpu_period?: number;
  cpuset?: string;
  pids_limit?: number;
  oom_kill_disable?: boolean;
  oom_score_adj?: number;
  blkio_config?: Record<string, unknown>;

  logging?: { driver?: string; options?: Record<string, string | null> };
  profiles?: string[];
  /** Long syntax: service -> { condition, required, restart }. */
  depends_on?: Record<string, { condition: string; required: boolean; restart?: boolean }>;

  /** The whole resolved service (canonical keys), including `x-` extensions. */
  raw: Record<string, unknown>;
}

export interface ResolvedProject {
  /** Project name: --project-name, COMPOSE_PROJECT_NAME, top-level `name:`, else the folder name (normalised as Compose does). */
  name: string;
  /** Absolute project directory (the folder of the first -f file unless given). */
  workingDir: string;
  /** The -f files in order, absolute. */
  files: string[];
  /** Every file read (compose files, included/extended files, env files), absolute real paths, in read order. */
  filesRead: string[];
  /** Services active under the selected profiles, sorted by name. */
  services: ResolvedService[];
  /** Every service declared, active or not, sorted by name. */
  allServices: ResolvedService[];
  networks: Record<string, Record<string, unknown>>;
  volumes: Record<string, Record<string, unknown>>;
  secrets: Record<string, Record<string, unknown>>;
  configs: Record<string, Record<string, unknown>>;
  /** Profiles in effect (from options or COMPOSE_PROFILES). */
  profiles: string[];
  /**
   * Where the winning value at a canonical dotted path was written:
   * `services.web.privileged`, `services.web.cap_add.1`,
   * `services.web.volumes.0`, `services.web`. Falls back to the nearest
   * ancestor that has a position; undefined only if none has.
   */
  locate(path: string): SourcePosition | undefined;
}

export interface ResolveOptions {
  /**
   * Compose files (-f) in order, relative to cwd. Default: the first of
   * compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml found
   * in cwd, plus its `.override` companion (compose.override.yaml...) if any.
   */
  files?: string[];
  cwd: string;
  /** Process environment (wins over .env). */
  env: Record<string, string | undefined>;
  /** --env-file files (replace the default `<project dir>/.env`). */
  envFiles?: string[];
  /** --profile; when absent COMPOSE_PROFILES from env/.env is used. */
  profiles?: string[];
  /** --project-name. */
  projectName?: string;
  /** --project-directory (default: folder of the first file). */
  projectDirectory?: string;
}

/** Limits applied while reading files; defaults in `DEFAULT_LIMITS`. */
export interface ResolveLimits {
  /** Largest file read, in bytes. */
  maxFileBytes: number;
  /** Most YAML alias dereferences per file. */
  maxAliasCount: number;
  /** Deepest YAML nesting. */
  maxDepth: number;
  /** Most files read (compose + include + extends + env files). */
  maxFiles: number;
}

// Entry point: `resolveCompose(opts: ResolveOptions, limits?: Partial<ResolveLimits>): ResolvedProject`
// in ./resolve.ts (synchronous). It throws `ComposeError` (./errors.ts, a
// PolicyError: exit 2) with file, line, column and field.
