import { describe, expect, it } from 'vitest';

import { serverNameFor } from '../../../src/checkers/docker/dial.js';

describe('src/checkers/docker/dial', () => {
  describe('serverNameFor', () => {
    it('names a DNS host, as TLS server name indication carries it', () => {
      expect(serverNameFor('docker.example.internal')).toBe('docker.example.internal');
      expect(serverNameFor('localhost')).toBe('localhost');
    });

    it('gives none for an IPv4 or IPv6 address, which server name indication does not carry (RFC 6066, section 3)', () => {
      expect(serverNameFor('127.0.0.1')).toBe('');
      expect(serverNameFor('::1')).toBe('');
      expect(serverNameFor('fe80::1%eth0')).toBe('');
    });

    it('keeps a name that only starts like an address', () => {
      expect(serverNameFor('10.0.0.1.example')).toBe('10.0.0.1.example');
    });
  });
});
