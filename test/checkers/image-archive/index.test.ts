import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { findArchiveImage, readImageArchive } from '../../../src/checkers/image-archive/index.js';
import { PolicyError } from '../../../src/errors.js';
import { buildTar, imageConfig, sha256 } from './tar-builder.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'palisade-archive-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, data: Buffer | string): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data);
  return file;
}

const CONFIG = imageConfig({
  User: '10001',
  Healthcheck: { Test: ['CMD', 'true'] },
  Labels: { 'org.opencontainers.image.source': 'https://example.com/app' },
});
const CONFIG_HEX = sha256(CONFIG);

function ociLayout(name?: string): { name: string; content: string }[] {
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${CONFIG_HEX}`, size: CONFIG.length },
    layers: [],
  });
  const attestation = JSON.stringify({ schemaVersion: 2, config: { digest: `sha256:${CONFIG_HEX}` }, layers: [] });
  const imageIndex = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      { digest: `sha256:${sha256(attestation)}`, platform: { os: 'unknown', architecture: 'unknown' } },
      { digest: `sha256:${sha256(manifest)}`, platform: { os: 'linux', architecture: 'amd64' } },
    ],
  });
  const annotations = name === undefined ? { 'org.opencontainers.image.ref.name': '1.4.2' } : { 'io.containerd.image.name': name };
  const index = JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${sha256(imageIndex)}`, annotations }] });
  return [
    { name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' },
    { name: 'index.json', content: index },
    { name: `blobs/sha256/${sha256(imageIndex)}`, content: imageIndex },
    { name: `blobs/sha256/${sha256(manifest)}`, content: manifest },
    { name: `blobs/sha256/${sha256(attestation)}`, content: attestation },
    { name: `blobs/sha256/${CONFIG_HEX}`, content: CONFIG },
  ];
}

describe('src/checkers/image-archive', () => {
  it('reads a docker save tarball (manifest.json -> config) into the ImageFacts image inspect gives', () => {
    const file = write('app.tar', buildTar([
      { name: 'manifest.json', content: JSON.stringify([{ Config: `${CONFIG_HEX}.json`, RepoTags: ['registry.example.com/team/app:1.4.2'], Layers: ['abc/layer.tar'] }]) },
      { name: `${CONFIG_HEX}.json`, content: CONFIG },
      { name: 'abc/layer.tar', content: Buffer.alloc(4096, 7) },
    ]));

    const images = readImageArchive(file);

    expect(images).toHaveLength(1);
    expect(images[0]?.facts).toEqual({
      id: `sha256:${CONFIG_HEX}`,
      repoTags: ['registry.example.com/team/app:1.4.2'],
      repoDigests: [],
      created: '2026-10-01T00:00:00Z',
      user: '10001',
      healthcheck: { configured: true, disabled: false },
      labels: { 'org.opencontainers.image.source': 'https://example.com/app' },
      os: 'linux',
      architecture: 'amd64',
    });
    expect(findArchiveImage(images, 'registry.example.com/team/app:1.4.2')?.facts.user).toBe('10001');
    expect(findArchiveImage(images, 'registry.example.com/team/app:1.4.3')).toBeUndefined();
  });

  it('matches Docker Hub short names the way Docker normalises them (busybox -> docker.io/library/busybox:latest)', () => {
    const file = write('hub.tar', buildTar([
      { name: 'manifest.json', content: JSON.stringify([{ Config: 'blobs/sha256/c', RepoTags: ['busybox:latest'] }]) },
      { name: 'blobs/sha256/c', content: CONFIG },
    ]));

    const images = readImageArchive(file);

    expect(findArchiveImage(images, 'busybox')).toBeDefined();
    expect(findArchiveImage(images, 'docker.io/library/busybox:latest')).toBeDefined();
    expect(findArchiveImage(images, `sha256:${CONFIG_HEX.slice(0, 12)}`)).toBeDefined();
  });

  it('reads an OCI image layout folder through the index, skipping attestation manifests', () => {
    for (const e of ociLayout('ghcr.io/acme/app:2.0')) write(path.join('layout', e.name), e.content);

    const images = readImageArchive(path.join(dir, 'layout'));

    expect(images).toHaveLength(1);
    expect(images[0]?.names).toEqual(['ghcr.io/acme/app:2.0']);
    expect(images[0]?.facts.id).toBe(`sha256:${CONFIG_HEX}`);
    const digest = images[0]?.digests[1] ?? '';
    expect(findArchiveImage(images, `ghcr.io/acme/app@${digest}`)?.facts.user).toBe('10001');
  });

  it('reads an OCI layout inside a tar, with pax long names', () => {
    const file = write('oci.tar', buildTar(ociLayout('ghcr.io/acme/app:2.0').map((e) => ({ ...e, pax: e.name.startsWith('blobs/') }))));

    const images = readImageArchive(file);

    expect(findArchiveImage(images, 'ghcr.io/acme/app:2.0')?.facts.healthcheck.configured).toBe(true);
  });

  it('keeps an image whose layout gives only a bare tag, but matches it by digest only', () => {
    for (const e of ociLayout()) write(path.join('bare', e.name), e.content);

    const images = readImageArchive(path.join(dir, 'bare'));

    expect(images[0]?.names).toEqual([]);
    expect(findArchiveImage(images, 'app:1.4.2')).toBeUndefined();
  });

  it.each([
    ['not a tar', () => write('junk.tar', Buffer.alloc(2048, 65)), /bad header checksum/],
    ['no manifest', () => write('empty.tar', buildTar([{ name: 'README', content: 'x' }])), /neither manifest.json/],
    ['bad JSON', () => write('bad.tar', buildTar([{ name: 'manifest.json', content: '[{' }])), /manifest.json is not valid JSON/],
    ['missing config', () => write('gone.tar', buildTar([{ name: 'manifest.json', content: '[{"Config":"x.json"}]' }])), /config x.json is missing/],
    ['missing path', () => path.join(dir, 'nope.tar'), /no such file/],
  ])('refuses %s with a PolicyError naming the file', (_name, make, message) => {
    const file = make();

    const act = () => readImageArchive(file);

    expect(act).toThrow(PolicyError);
    expect(act).toThrow(message);
    expect(act).toThrow(file);
  });

  it('refuses a metadata entry over the size cap without reading it', () => {
    const big = Buffer.alloc(17 * 1024 * 1024, 32);
    const file = write('big.tar', buildTar([{ name: 'manifest.json', content: big }]));

    expect(() => readImageArchive(file)).toThrow(/over the 16777216-byte limit/);
  });
});
