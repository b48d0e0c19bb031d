// Typed facts that checks read. Checkers (Docker Engine API today, compose
// files and SSH later) build these; checks never see raw API JSON.

/** How palisade reached an engine; decides whether the API itself is exposed. */
export type EngineTransport = 'unix' | 'npipe' | 'tcp' | 'tls' | 'ssh';

export interface EngineFacts {
  /** Stable identity: the daemon's ID from /info, or the endpoint when absent. */
  id: string;
  /** Daemon host name (/info Name). */
  name: string;
  /** Display form of the endpoint with no credentials, e.g. `unix:///var/run/docker.sock`. */
  endpoint: string;
  transport: EngineTransport;
  versions: {
    engine: string;
    apiVersion: string;
    /** containerd and runc as /version reports them (`Components`), when it does. */
    containerd?: string;
    runc?: string;
    init?: string;
  };
  os: {
    operatingSystem: string;
    osType: string;
    kernelVersion: string;
    architecture: string;
  };
  /** Parsed from /info SecurityOptions (`name=seccomp,profile=default`, ...). */
  security: {
    apparmor: boolean;
    selinux: boolean;
    seccomp: boolean;
    /** `default`, `builtin`, `unconfined` or a custom path as the daemon reports it. */
    seccompProfile?: string;
    userns: boolean;
    rootless: boolean;
    /** Daemon started with `--no-new-privileges` (reported as `name=no-new-privileges`). */
    noNewPrivileges: boolean;
    cgroupns: boolean;
  };
  cgroupVersion?: string;
  cgroupDriver?: string;
  liveRestore: boolean;
  experimental: boolean;
  loggingDriver: string;
  /** Insecure registry CIDRs as configured (the daemon always adds 127.0.0.0/8). */
  insecureRegistryCidrs: string[];
  /** Registry hostnames marked insecure (IndexConfigs with Secure=false). */
  insecureRegistryHosts: string[];
  authorizationPlugins: string[];
  swarm: {
    /** `inactive`, `pending`, `active`, `error`, `locked` */
    state: string;
    controlAvailable: boolean;
  };
  /** The default `bridge` network; absent when the engine has none. */
  defaultBridge?: {
    /** `com.docker.network.bridge.enable_icc`; Docker's default is true. */
    iccEnabled: boolean;
  };
  containerCounts: { total: number; running: number };
  /**
   * A stand-in for the engine a declared spec (a Compose file) will run on:
   * a stock Docker Engine, nothing read from a daemon. Engine checks never run
   * on it and it adds nothing to effective depth.
   */
  declared?: boolean;
  /**
   * Package state of the host the engine runs on, when palisade scanned that
   * host too: what a distribution build's version string cannot tell.
   */
  hostPackages?: EngineHostPackages;
}

export interface EngineHostPackages {
  /** Inventory name of the host. */
  host: string;
  /** Installed packages that ship Docker components (docker.io, docker-ce, moby-engine, containerd(.io), runc...). */
  installed: { name: string; version: string }[];
  /** Pending security updates of those packages; undefined when updates were not collected. */
  pendingSecurity?: PendingUpdate[];
  /** Advisories matched on those packages; undefined when no advisory directory was given. */
  advisories?: AdvisoryMatchFacts[];
}

export interface ImageFacts {
  /** Content-addressed ID, `sha256:...`. */
  id: string;
  repoTags: string[];
  /** Registry digests (`name@sha256:...`); empty for images built or imported locally. */
  repoDigests: string[];
  /** ISO 8601 creation time from the image config, when set. */
  created?: string;
  /** Config.User; empty means root. */
  user: string;
  healthcheck: HealthcheckFacts;
  labels: Record<string, string>;
  os: string;
  architecture: string;
}

export interface HealthcheckFacts {
  /** A test command is configured (not NONE). */
  configured: boolean;
  /** Explicitly disabled (`--no-healthcheck` / `HEALTHCHECK NONE`). */
  disabled: boolean;
}

export type NamespaceMode = string;

export interface MountFacts {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image' | string;
  /** Host path for binds, volume name for volumes. */
  source: string;
  destination: string;
  readOnly: boolean;
  /** `rprivate`, `private`, `shared`, `rshared`, `slave`, `rslave` or empty. */
  propagation: string;
}

export interface PortBindingFacts {
  containerPort: number;
  protocol: string;
  /** Host address the port is bound to; empty means all interfaces. */
  hostIp: string;
  /** Host port; 0 when Docker picks one. */
  hostPort: number;
}

export interface EnvVarFacts {
  /** Variable name only: values are never collected, so they cannot leak. */
  name: string;
  /** True when the value is empty. */
  empty: boolean;
}

export interface ProcessFacts {
  /** Base name of the executable (argv[0] without directory); arguments are never collected. */
  command: string;
  user: string;
}

export interface ComposeOrigin {
  project: string;
  service: string;
  workingDir?: string;
  /** Compose files as the label lists them (absolute paths on the deploying host). */
  configFiles: string[];
  containerNumber?: string;
}

export interface ContainerFacts {
  id: string;
  /** Without Docker's leading slash. */
  name: string;
  /** The reference the container was created from (Config.Image), e.g. `nginx:1.27` or `nginx@sha256:...`. */
  imageRef: string;
  /** Image ID the container runs (`sha256:...`). */
  imageId: string;
  /** `created`, `running`, `paused`, `restarting`, `exited`, `dead`, `removing` */
  state: string;
  labels: Record<string, string>;
  compose?: ComposeOrigin;
  /** Config.User; empty means the image's user applies. */
  user: string;
  privileged: boolean;
  /** Upper case, without the `CAP_` prefix; `ALL` kept as is. */
  capAdd: string[];
  capDrop: string[];
  readonlyRootfs: boolean;
  /** HostConfig.NetworkMode: `default`, `bridge`, `host`, `none`, `container:<id>` or a network name. */
  networkMode: NamespaceMode;
  /** Networks the container is attached to (names). */
  networks: string[];
  pidMode: NamespaceMode;
  ipcMode: NamespaceMode;
  utsMode: NamespaceMode;
  usernsMode: NamespaceMode;
  /** `host` or `private`; empty when the engine does not report it. */
  cgroupnsMode: NamespaceMode;
  cgroupParent: string;
  /** Raw HostConfig.SecurityOpt entries, e.g. `seccomp=unconfined`, `no-new-privileges:true`. */
  securityOpt: string[];
  /** Top-level AppArmorProfile the engine applied (empty when none). */
  appArmorProfile: string;
  mounts: MountFacts[];
  devices: { hostPath: string; containerPath: string; permissions: string }[];
  /** `--device-cgroup-rule` entries. */
  deviceCgroupRules: string[];
  portBindings: PortBindingFacts[];
  publishAllPorts: boolean;
  resources: {
    /** Bytes; 0 means unlimited. */
    memory: number;
    memoryReservation: number;
    memorySwap: number;
    cpuShares: number;
    nanoCpus: number;
    cpuQuota: number;
    cpuPeriod: number;
    cpusetCpus: string;
    /** null or <= 0 means unlimited. */
    pidsLimit: number | null;
    oomKillDisable: boolean;
    ulimits: { name: string; soft: number; hard: number }[];
  };
  restartPolicy: { name: string; maximumRetryCount: number };
  /** HostConfig.MaskedPaths; an empty list means the engine's masking was removed. */
  maskedPaths: string[];
  readonlyPaths: string[];
  sysctls: Record<string, string>;
  env: EnvVarFacts[];
  /** Container-level healthcheck (Config.Healthcheck), which overrides the image's. */
  healthcheck?: HealthcheckFacts;
  /** Processes from the process list endpoint; absent when the container is not running. */
  processes?: ProcessFacts[];
  logDriver: string;
  createdAt: string;
  /**
   * Built from a declared spec (a Compose service), not read from an engine:
   * facts only a running container has (processes, the AppArmor profile the
   * engine applied, actual mount propagation) are not known, and checks on
   * them are not evaluated (src/lib/not-collected.ts).
   */
  declared?: DeclaredOrigin;
}

/** Where a declared container comes from. */
export interface DeclaredOrigin {
  /** Repository-relative (or absolute) path of the file that declares the service. */
  file: string;
  project: string;
  service: string;
}

/** What a check evaluating a container receives. */
export interface ContainerSubject {
  container: ContainerFacts;
  /** The image the container runs; absent when the engine no longer has it. */
  image?: ImageFacts;
  engine: EngineFacts;
  /**
   * The Compose service this running container was created from, as declared
   * facts (src/checkers/compose/declared.ts), when `scan` could read its
   * Compose files: what drift checks compare the container with.
   */
  spec?: ContainerFacts;
}

/** What a check evaluating an engine receives. */
export interface EngineSubject {
  engine: EngineFacts;
}

// ---------------------------------------------------------------------------
// Hosts (VMs) reached over SSH.

export type OsFamily = 'debian' | 'rhel' | 'alpine' | 'suse' | 'unknown';
export type PackageFormat = 'dpkg' | 'rpm' | 'apk';

export interface InstalledPackage {
  name: string;
  /** Source package (dpkg `${source:Package}`, rpm SOURCERPM name, apk origin); equals name when unknown. */
  sourceName: string;
  /** Full version as the package manager orders it: dpkg `[epoch:]upstream[-revision]`, rpm `[epoch:]version-release`, apk `version-rN`. */
  version: string;
  /** Source package version when it differs (dpkg binNMUs, `${source:Version}`). */
  sourceVersion?: string;
  arch: string;
}

export interface PendingUpdate {
  name: string;
  installed: string;
  candidate: string;
  /** The update comes from the distribution's security channel/advisories. */
  security: boolean;
  /** Where it comes from, e.g. `Debian-Security:12/stable-security`, `RHSA-2024:1234`. */
  origin?: string;
}

/** Why a fact is missing: it was not collected, and the check must not pass on it. */
export interface NotCollected {
  reason: 'needs-root' | 'command-missing' | 'unsupported-os' | 'failed' | 'skipped';
  detail: string;
}

export interface ListeningSocket {
  protocol: 'tcp' | 'udp';
  /** Local address as printed by `ss` without brackets: `0.0.0.0`, `::`, `127.0.0.1`, `10.0.0.5`. */
  address: string;
  port: number;
  /** Process name when visible (root sees all, a user only their own). */
  process?: string;
}

export interface HostFacts {
  /** Inventory name. */
  name: string;
  address: string;
  port: number;
  segment?: string;
  tags: string[];
  os: {
    /** os-release ID: debian, ubuntu, rhel, rocky, almalinux, fedora, amzn, alpine, sles, opensuse-leap... */
    id: string;
    idLike: string[];
    versionId: string;
    prettyName: string;
    codename?: string;
    family: OsFamily;
  };
  kernel: {
    release: string;
    architecture: string;
    /** Newest kernel package installed (the one a reboot would run), when known. */
    newestInstalled?: string;
  };
  /** systemd-detect-virt or equivalent: `kvm`, `vmware`, `none`, `docker`... */
  virtualization?: string;
  /** What palisade could use: root directly, `sudo -n`, or neither. */
  privilege: { root: boolean; sudo: 'not-configured' | 'ok' | 'password-required' | 'requiretty' | 'denied' };
  packageFormat?: PackageFormat;
  packages?: InstalledPackage[];
  updates?: {
    pending: PendingUpdate[];
    /** Age of the package manager's metadata (apt lists, dnf cache), seconds; stale lists make pending updates untrustworthy. */
    metadataAgeSeconds?: number;
  };
  rebootRequired?: { required: boolean; packages: string[] };
  autoUpdates?: { mechanism: string; enabled: boolean; detail: string };
  firewall?: {
    backend: 'nftables' | 'iptables' | 'none';
    /** Policy of the input hook/chain; `accept` when there is no filtering at all. */
    inputPolicy: 'accept' | 'drop' | 'reject';
    /** Rules in the input path. */
    inputRules: number;
  };
  listening?: ListeningSocket[];
  ipForwarding?: { ipv4: boolean; ipv6: boolean };
  /** `sshd -T` output as lower-case key -> value (multi-valued keys joined with `,`). */
  sshd?: Record<string, string>;
  /** World-writable files (not directories with the sticky bit) under system paths. */
  worldWritable?: string[];
  /** Accounts whose password field is empty (from /etc/shadow; needs root). */
  emptyPasswordAccounts?: string[];
  /** Known advisories matched against installed packages (only when an advisory directory was given). */
  advisories?: AdvisoryMatchFacts[];
  /** Reachability probes from this host to other inventory hosts (segmentation). */
  flows?: FlowProbe[];
  /** Facts that could not be gathered and why, keyed by probe section. */
  notCollected: Record<string, NotCollected>;
}

export interface AdvisoryMatchFacts {
  /** OSV id, e.g. `DSA-5678-1`, `CVE-2024-1234`, `ALSA-2024:1234`. */
  id: string;
  aliases: string[];
  summary?: string;
  /** Severity as the advisory states it, when it does (`CRITICAL`, `HIGH`, CVSS vector...). */
  severity?: string;
  /** OSV ecosystem the advisory was matched in, e.g. `Debian:12`. */
  ecosystem: string;
  packageName: string;
  installedVersion: string;
  /** First fixed version in the matching range, when the advisory has one. */
  fixedVersion?: string;
}

export interface FlowProbe {
  /** Inventory name and segment of the destination. */
  toHost: string;
  toSegment?: string;
  address: string;
  port: number;
  /** `open`: the TCP connection from this host succeeded; `closed`/`filtered`: it did not; `error`: the probe could not run. */
  result: 'open' | 'closed' | 'filtered' | 'error';
  detail?: string;
}

/** What a check evaluating a host receives. */
export interface HostSubject {
  host: HostFacts;
}
