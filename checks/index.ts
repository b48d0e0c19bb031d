// The check registry: every check, sorted by id. Explicit on purpose (no
// globbing, no self-registration); test/catalogue.test.ts asserts that it
// lists exactly the files under checks/. `node scripts/update-registry.mjs`
// rewrites it after you add a check file.
import type { Check } from '../src/model/check.js';
import dockerApparmorProfile from './docker/apparmor-profile.js';
import dockerCapabilitiesDropped from './docker/capabilities-dropped.js';
import dockerCgroupParentDefault from './docker/cgroup-parent-default.js';
import dockerContainerdVersionNotVulnerable from './docker/containerd-version-not-vulnerable.js';
import dockerCpuLimited from './docker/cpu-limited.js';
import dockerEngineApiTls from './docker/engine-api-tls.js';
import dockerEngineAuthorizationPlugin from './docker/engine-authorization-plugin.js';
import dockerEngineExperimentalDisabled from './docker/engine-experimental-disabled.js';
import dockerEngineIccDisabled from './docker/engine-icc-disabled.js';
import dockerEngineLiveRestore from './docker/engine-live-restore.js';
import dockerEngineNoInsecureRegistries from './docker/engine-no-insecure-registries.js';
import dockerEngineNoNewPrivileges from './docker/engine-no-new-privileges.js';
import dockerEngineRemoteLogging from './docker/engine-remote-logging.js';
import dockerEngineSeccompDefault from './docker/engine-seccomp-default.js';
import dockerEngineUsernsOrRootless from './docker/engine-userns-or-rootless.js';
import dockerEngineVersionNotVulnerable from './docker/engine-version-not-vulnerable.js';
import dockerHealthcheckConfigured from './docker/healthcheck-configured.js';
import dockerImageAge from './docker/image-age.js';
import dockerImageHasRegistryDigest from './docker/image-has-registry-digest.js';
import dockerImageHealthcheck from './docker/image-healthcheck.js';
import dockerImageOciLabels from './docker/image-oci-labels.js';
import dockerImagePinnedByDigest from './docker/image-pinned-by-digest.js';
import dockerImageRegistryAllowed from './docker/image-registry-allowed.js';
import dockerImageTagNotLatest from './docker/image-tag-not-latest.js';
import dockerMaskedPathsKept from './docker/masked-paths-kept.js';
import dockerMatchesDeclaredSpec from './docker/matches-declared-spec.js';
import dockerMemoryLimited from './docker/memory-limited.js';
import dockerNoAddedCapabilities from './docker/no-added-capabilities.js';
import dockerNoDangerousCapabilities from './docker/no-dangerous-capabilities.js';
import dockerNoDefaultBridge from './docker/no-default-bridge.js';
import dockerNoDockerSocketMount from './docker/no-docker-socket-mount.js';
import dockerNoHostCgroupns from './docker/no-host-cgroupns.js';
import dockerNoHostDevices from './docker/no-host-devices.js';
import dockerNoHostIpc from './docker/no-host-ipc.js';
import dockerNoHostNetwork from './docker/no-host-network.js';
import dockerNoHostPid from './docker/no-host-pid.js';
import dockerNoHostUserns from './docker/no-host-userns.js';
import dockerNoHostUts from './docker/no-host-uts.js';
import dockerNoNewPrivileges from './docker/no-new-privileges.js';
import dockerNoPrivileged from './docker/no-privileged.js';
import dockerNoPrivilegedPorts from './docker/no-privileged-ports.js';
import dockerNoSecretsInEnv from './docker/no-secrets-in-env.js';
import dockerNoSensitiveHostMounts from './docker/no-sensitive-host-mounts.js';
import dockerNoSharedMountPropagation from './docker/no-shared-mount-propagation.js';
import dockerNoSshd from './docker/no-sshd.js';
import dockerNoUnsafeSysctls from './docker/no-unsafe-sysctls.js';
import dockerNonRootUser from './docker/non-root-user.js';
import dockerOomKillerEnabled from './docker/oom-killer-enabled.js';
import dockerPidsLimited from './docker/pids-limited.js';
import dockerPortsBoundToInterface from './docker/ports-bound-to-interface.js';
import dockerReadOnlyRootfs from './docker/read-only-rootfs.js';
import dockerRestartPolicyBounded from './docker/restart-policy-bounded.js';
import dockerRuncVersionNotVulnerable from './docker/runc-version-not-vulnerable.js';
import dockerSeccompEnabled from './docker/seccomp-enabled.js';
import dockerSelinuxOptions from './docker/selinux-options.js';
import dockerSwarmModeDisabled from './docker/swarm-mode-disabled.js';
import vmAutomaticSecurityUpdates from './vm/automatic-security-updates.js';
import vmHostFirewallEnabled from './vm/host-firewall-enabled.js';
import vmIpForwardingDisabled from './vm/ip-forwarding-disabled.js';
import vmKernelCurrent from './vm/kernel-current.js';
import vmListeningServicesAllowed from './vm/listening-services-allowed.js';
import vmNoEmptyPasswords from './vm/no-empty-passwords.js';
import vmNoKnownAdvisories from './vm/no-known-advisories.js';
import vmNoWorldWritableFiles from './vm/no-world-writable-files.js';
import vmPackageMetadataFresh from './vm/package-metadata-fresh.js';
import vmRebootNotRequired from './vm/reboot-not-required.js';
import vmSecurityUpdatesApplied from './vm/security-updates-applied.js';
import vmSegmentFlowsBlocked from './vm/segment-flows-blocked.js';
import vmSshEmptyPasswordsDisabled from './vm/ssh-empty-passwords-disabled.js';
import vmSshMaxAuthTries from './vm/ssh-max-auth-tries.js';
import vmSshPasswordAuthDisabled from './vm/ssh-password-auth-disabled.js';
import vmSshRootLoginDisabled from './vm/ssh-root-login-disabled.js';
import vmSshStrongCrypto from './vm/ssh-strong-crypto.js';
import vmSshX11ForwardingDisabled from './vm/ssh-x11-forwarding-disabled.js';
import vmUpdatesApplied from './vm/updates-applied.js';

export const checks: readonly Check[] = [
  dockerApparmorProfile,
  dockerCapabilitiesDropped,
  dockerCgroupParentDefault,
  dockerContainerdVersionNotVulnerable,
  dockerCpuLimited,
  dockerEngineApiTls,
  dockerEngineAuthorizationPlugin,
  dockerEngineExperimentalDisabled,
  dockerEngineIccDisabled,
  dockerEngineLiveRestore,
  dockerEngineNoInsecureRegistries,
  dockerEngineNoNewPrivileges,
  dockerEngineRemoteLogging,
  dockerEngineSeccompDefault,
  dockerEngineUsernsOrRootless,
  dockerEngineVersionNotVulnerable,
  dockerHealthcheckConfigured,
  dockerImageAge,
  dockerImageHasRegistryDigest,
  dockerImageHealthcheck,
  dockerImageOciLabels,
  dockerImagePinnedByDigest,
  dockerImageRegistryAllowed,
  dockerImageTagNotLatest,
  dockerMaskedPathsKept,
  dockerMatchesDeclaredSpec,
  dockerMemoryLimited,
  dockerNoAddedCapabilities,
  dockerNoDangerousCapabilities,
  dockerNoDefaultBridge,
  dockerNoDockerSocketMount,
  dockerNoHostCgroupns,
  dockerNoHostDevices,
  dockerNoHostIpc,
  dockerNoHostNetwork,
  dockerNoHostPid,
  dockerNoHostUserns,
  dockerNoHostUts,
  dockerNoNewPrivileges,
  dockerNoPrivileged,
  dockerNoPrivilegedPorts,
  dockerNoSecretsInEnv,
  dockerNoSensitiveHostMounts,
  dockerNoSharedMountPropagation,
  dockerNoSshd,
  dockerNoUnsafeSysctls,
  dockerNonRootUser,
  dockerOomKillerEnabled,
  dockerPidsLimited,
  dockerPortsBoundToInterface,
  dockerReadOnlyRootfs,
  dockerRestartPolicyBounded,
  dockerRuncVersionNotVulnerable,
  dockerSeccompEnabled,
  dockerSelinuxOptions,
  dockerSwarmModeDisabled,
  vmAutomaticSecurityUpdates,
  vmHostFirewallEnabled,
  vmIpForwardingDisabled,
  vmKernelCurrent,
  vmListeningServicesAllowed,
  vmNoEmptyPasswords,
  vmNoKnownAdvisories,
  vmNoWorldWritableFiles,
  vmPackageMetadataFresh,
  vmRebootNotRequired,
  vmSecurityUpdatesApplied,
  vmSegmentFlowsBlocked,
  vmSshEmptyPasswordsDisabled,
  vmSshMaxAuthTries,
  vmSshPasswordAuthDisabled,
  vmSshRootLoginDisabled,
  vmSshStrongCrypto,
  vmSshX11ForwardingDisabled,
  vmUpdatesApplied,
];
