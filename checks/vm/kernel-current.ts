// Risk: a newer kernel is installed but not running, so its security fixes
// are on disk and not in effect until the host reboots.
import { defineCheck } from '../../src/model/check.js';
import { rpmvercmp } from '../../src/lib/versions/index.js';
import { notEvaluated } from '../../src/lib/not-collected.js';

const KERNEL_KEYS = ['kernel', 'uname'];
const INSTALLED_KEYS = ['kernels', 'kernel.newestInstalled'];

/**
 * The release without its flavour (`6.1.0-28-cloud-amd64` -> `6.1.0-28`,
 * `5.15.0-91-generic` -> `5.15.0-91`, `...el9.x86_64+debug` -> `...el9.x86_64`):
 * flavours are names, and `amd64` must not sort before `cloud-amd64` as if it
 * were an older version.
 */
function withoutFlavour(release: string): string {
  return release.replace(/(?:[-+][a-z][a-z0-9_]*)+$/i, '');
}

export default defineCheck({
  id: 'vm/kernel-current',
  target: 'host',
  meta: {
    title: 'Host runs the newest installed kernel',
    description:
      'Kernel updates install alongside the running kernel and take effect only at the next boot. Until then the ' +
      'host runs the old kernel with every vulnerability the update fixed, although the package manager reports it ' +
      'as patched. The running release (`uname -r`) is compared with the newest release installed in /boot or ' +
      '/lib/modules, in rpm version order as the SSH checker picks the newest (kernel releases such as ' +
      '`6.1.0-28-amd64` or `5.14.0-427.13.1.el9_4.x86_64` are not package versions), ignoring the flavour suffix ' +
      '(`-amd64`, `-cloud-amd64`, `-generic`, `+debug`).',
    layer: 'patching',
    severity: 'medium',
    remediation:
      'Reboot the host into the newest kernel in a maintenance window (`systemctl reboot`), after checking the boot ' +
      'loader will pick it (`grubby --default-kernel` on the RHEL family; `update-grub` on Debian/Ubuntu; ' +
      '`grub2-once`/`grub2-set-default` on SUSE; `update-extlinux` on Alpine). Where reboots are rare, use live ' +
      'patching (kpatch on RHEL, Canonical Livepatch on Ubuntu, SUSE Live Patching) and still reboot periodically.',
    references: ['cwe:1395', 'nist-800-53:SI-2', 'https://docs.kernel.org/livepatch/livepatch.html'],
    messages: {
      'kernel-outdated': 'Host {{name}} runs kernel {{running}} but {{newest}} is installed; its fixes take effect only after a reboot.',
    },
  },
  appliesTo({ host }) {
    if (host.kernel.release === '') return notEvaluated(host, KERNEL_KEYS, 'the running kernel release');
    if (host.kernel.newestInstalled === undefined) return notEvaluated(host, INSTALLED_KEYS, 'the installed kernels');
    return undefined;
  },
  evaluate({ host }) {
    const { release, newestInstalled } = host.kernel;
    if (release === '' || newestInstalled === undefined) return [];
    // The checker chose the newest with rpmvercmp; the same order here keeps
    // the two consistent on every distribution.
    if (rpmvercmp(withoutFlavour(release), withoutFlavour(newestInstalled)) >= 0) return [];
    return [
      {
        messageId: 'kernel-outdated',
        data: { name: host.name, running: release, newest: newestInstalled },
        evidence: { source: 'uname -r and installed kernels', path: 'kernel.release', observed: release, expected: newestInstalled },
      },
    ];
  },
});
