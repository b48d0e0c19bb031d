import path from 'node:path';

import { InventoryError, loadInventory, type Inventory, type LoadInventoryOptions } from '../../src/inventory/load.js';

export const FIXTURES = path.join(import.meta.dirname, '../../fixtures/inventory');
export const HOME = '/home/tester';
export const LOCAL_USER = 'tester';

/** Loads a fixture with a fixed home folder, local user and working folder, so expectations are stable. */
export function load(file: string, options: LoadInventoryOptions = {}): Inventory {
  return loadInventory(path.join(FIXTURES, file), { homeDir: HOME, localUser: LOCAL_USER, cwd: '/work', ...options });
}

/** The InventoryError a fixture raises. */
export function loadError(file: string, options: LoadInventoryOptions = {}): InventoryError {
  try {
    load(file, options);
  } catch (err) {
    if (err instanceof InventoryError) return err;
    throw err;
  }
  throw new Error(`${file} loaded without error`);
}

export function host(inventory: Inventory, name: string): Inventory['hosts'][number] {
  const found = inventory.hosts.find((h) => h.name === name);
  if (!found) throw new Error(`no host ${name} in ${inventory.hosts.map((h) => h.name).join(', ')}`);
  return found;
}

export const DEFAULT_KNOWN_HOSTS = [
  `${HOME}/.ssh/known_hosts`,
  `${HOME}/.ssh/known_hosts2`,
  '/etc/ssh/ssh_known_hosts',
  '/etc/ssh/ssh_known_hosts2',
];
