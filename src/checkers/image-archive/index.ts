// Image configs from an offline image archive, for `palisade check
// --image-archive`: a `docker save` tarball (manifest.json -> config JSON;
// Docker 25+ adds an OCI index.json) or an OCI image layout, as a folder or a
// tar (index.json -> [index ->] manifest -> config). Only metadata is read:
// layers are never opened or extracted. The config becomes the same
// ImageFacts the Docker checker builds from `GET /images/{name}/json`.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { PolicyError } from '../../errors.js';
import { formatImageReference, parseImageReference } from '../../lib/image-reference.js';
import type { ImageFacts } from '../../model/facts.js';
import { normalizeImage } from '../docker/normalize.js';
import { TarFile, TarFormatError } from './tar.js';

/** Largest manifest, index or config JSON read. */
export const MAX_METADATA_BYTES = 16 * 1024 * 1024;
/** Most images listed from one archive. */
export const MAX_IMAGES = 10_000;
/** Deepest index -> index nesting followed. */
const MAX_INDEX_DEPTH = 4;

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

export interface ArchiveImage {
  facts: ImageFacts;
  /** Canonical `registry/path:tag` names the archive gives the image. */
  names: string[];
  /** Manifest and index digests (`sha256:...`) that lead to this config. */
  digests: string[];
  /** The archive it came from. */
  source: string;
}

interface Reader {
  read(name: string): Buffer | undefined;
  close(): void;
}

function dirReader(dir: string): Reader {
  return {
    read(name) {
      const rel = path.posix.normalize(name);
      if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
      const file = path.join(dir, rel);
      if (!existsSync(file)) return undefined;
      const st = statSync(file);
      if (!st.isFile()) return undefined;
      if (st.size > MAX_METADATA_BYTES) throw new TarFormatError(`${rel} is ${st.size} bytes, over the ${MAX_METADATA_BYTES}-byte limit for metadata`);
      return readFileSync(file);
    },
    close() {},
  };
}

function tarReader(file: string): Reader {
  const tar = TarFile.open(file);
  return { read: (name) => tar.read(name, MAX_METADATA_BYTES), close: () => tar.close() };
}

function fail(source: string, field: string, message: string, cause?: unknown): PolicyError {
  return new PolicyError(`image archive: ${message}`, { file: source, field }, cause !== undefined ? { cause } : undefined);
}

function parseJson(reader: Reader, source: string, name: string): unknown {
  const bytes = reader.read(name);
  if (bytes === undefined) throw fail(source, name, `${name} is missing from the archive`);
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (cause) {
    throw fail(source, name, `${name} is not valid JSON`, cause);
  }
}

function obj(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function blobPath(digest: unknown): string | undefined {
  if (typeof digest !== 'string') return undefined;
  const m = /^(sha256|sha384|sha512):([a-f0-9]+)$/.exec(digest);
  return m ? `blobs/${m[1]}/${m[2]}` : undefined;
}

/** `busybox:1` -> `docker.io/library/busybox:1`; undefined for anything that is not a tagged name. */
function canonicalName(value: string): string | undefined {
  const ref = parseImageReference(value);
  if (ref?.kind !== 'name') return undefined;
  return formatImageReference({ ...ref, tag: ref.tag ?? 'latest', digest: undefined });
}

/** ImageFacts from a config blob: `/images/{name}/json` carries the same Config, Created, Os and Architecture. */
function imageFacts(config: Buffer, source: string, field: string, repoTags: string[]): ImageFacts {
  let body: Record<string, unknown>;
  try {
    body = obj(JSON.parse(config.toString('utf8')));
  } catch (cause) {
    throw fail(source, field, 'the image config is not valid JSON', cause);
  }
  const id = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  return normalizeImage({
    Id: id,
    RepoTags: repoTags,
    // An archive does not say which registry digest the image was pulled by.
    RepoDigests: [],
    Created: body['created'],
    Config: body['config'] ?? {},
    Os: body['os'],
    Architecture: body['architecture'],
  });
}

/** Names an OCI descriptor's annotations give: containerd's full name, or a ref.name that is a full reference. */
function annotatedNames(descriptor: Record<string, unknown>): string[] {
  const annotations = obj(descriptor['annotations']);
  const out: string[] = [];
  for (const key of ['io.containerd.image.name', 'org.opencontainers.image.ref.name']) {
    const value = annotations[key];
    if (typeof value !== 'string') continue;
    // A bare tag (`1.27`, what `skopeo copy oci:dir:1.27` writes) names no repository.
    if (!/[/:]/.test(value)) continue;
    const name = canonicalName(value);
    if (name !== undefined) out.push(name);
  }
  return [...new Set(out)];
}

interface ManifestHit {
  configDigest: string;
  config: Buffer;
  digests: string[];
}

/** A descriptor to the image manifest it leads to (the first runnable platform of an index). */
function resolveDescriptor(reader: Reader, source: string, descriptor: Record<string, unknown>, depth: number): ManifestHit | undefined {
  const digest = descriptor['digest'];
  const blob = blobPath(digest);
  if (blob === undefined) throw fail(source, 'index.json', `descriptor digest ${JSON.stringify(digest)} is not a valid digest`);
  const body = obj(parseJson(reader, source, blob));
  const mediaType = typeof body['mediaType'] === 'string' ? body['mediaType'] : descriptor['mediaType'];
  if (INDEX_TYPES.has(String(mediaType)) || Array.isArray(body['manifests'])) {
    if (depth >= MAX_INDEX_DEPTH) throw fail(source, blob, 'image indexes nest too deeply');
    // Attestation manifests carry platform unknown/unknown; they are not images.
    const children = (body['manifests'] as unknown[]).map(obj).filter((m) => obj(m['platform'])['os'] !== 'unknown');
    for (const child of children) {
      if (blobPath(child['digest']) === undefined || reader.read(blobPath(child['digest']) as string) === undefined) continue;
      const hit = resolveDescriptor(reader, source, child, depth + 1);
      if (hit) return { ...hit, digests: [String(digest), ...hit.digests] };
    }
    return undefined;
  }
  const configDigest = obj(body['config'])['digest'];
  const configBlob = blobPath(configDigest);
  if (configBlob === undefined) throw fail(source, blob, 'the manifest has no config digest');
  const config = reader.read(configBlob);
  if (config === undefined) throw fail(source, configBlob, `config ${String(configDigest)} is missing from the archive`);
  return { configDigest: String(configDigest), config, digests: [String(digest)] };
}

function fromOciLayout(reader: Reader, source: string): ArchiveImage[] {
  const index = obj(parseJson(reader, source, 'index.json'));
  const manifests = index['manifests'];
  if (!Array.isArray(manifests)) throw fail(source, 'index.json', 'index.json has no manifests list');
  const images: ArchiveImage[] = [];
  for (const [i, raw] of manifests.entries()) {
    if (images.length >= MAX_IMAGES) throw fail(source, 'index.json', `more than ${MAX_IMAGES} images`);
    const descriptor = obj(raw);
    const hit = resolveDescriptor(reader, source, descriptor, 0);
    if (hit === undefined) continue;
    const names = annotatedNames(descriptor);
    images.push({ facts: imageFacts(hit.config, source, `index.json manifests[${i}]`, names), names, digests: hit.digests, source });
  }
  return images;
}

function fromDockerSave(reader: Reader, source: string, manifest: unknown): ArchiveImage[] {
  if (!Array.isArray(manifest)) throw fail(source, 'manifest.json', 'manifest.json is not a list');
  // Docker 25+ writes an OCI index.json beside manifest.json: it gives the manifest digests.
  const digestsByConfig = new Map<string, string[]>();
  if (reader.read('index.json') !== undefined) {
    for (const image of fromOciLayout(reader, source)) digestsByConfig.set(image.facts.id, image.digests);
  }
  return manifest.slice(0, MAX_IMAGES).map((raw, i) => {
    const entry = obj(raw);
    const configName = entry['Config'];
    if (typeof configName !== 'string') throw fail(source, `manifest.json[${i}].Config`, 'entry has no Config');
    const config = reader.read(configName);
    if (config === undefined) throw fail(source, `manifest.json[${i}].Config`, `config ${configName} is missing from the archive`);
    const repoTags = Array.isArray(entry['RepoTags']) ? entry['RepoTags'].filter((t): t is string => typeof t === 'string') : [];
    const facts = imageFacts(config, source, `manifest.json[${i}].Config`, repoTags);
    const names = [...new Set(repoTags.map(canonicalName).filter((n): n is string => n !== undefined))];
    return { facts, names, digests: digestsByConfig.get(facts.id) ?? [], source };
  });
}

/** Every image in a `docker save` tarball or an OCI layout (folder or tar). */
export function readImageArchive(source: string): ArchiveImage[] {
  if (!existsSync(source)) throw fail(source, 'path', 'no such file or folder');
  let reader: Reader;
  try {
    reader = statSync(source).isDirectory() ? dirReader(source) : tarReader(source);
  } catch (cause) {
    throw fail(source, 'tar', `cannot read the archive: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
  }
  try {
    const manifest = reader.read('manifest.json');
    if (manifest !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(manifest.toString('utf8')) as unknown;
      } catch (cause) {
        throw fail(source, 'manifest.json', 'manifest.json is not valid JSON', cause);
      }
      return fromDockerSave(reader, source, parsed);
    }
    if (reader.read('index.json') !== undefined) return fromOciLayout(reader, source);
    throw fail(source, 'manifest.json', 'neither manifest.json (docker save) nor index.json (OCI image layout) is in the archive');
  } catch (error) {
    if (error instanceof TarFormatError) throw fail(source, 'tar', error.message, error);
    throw error;
  } finally {
    reader.close();
  }
}

/** The archived image a service's `image:` reference names, if any. */
export function findArchiveImage(images: readonly ArchiveImage[], reference: string): ArchiveImage | undefined {
  const ref = parseImageReference(reference);
  if (ref === undefined) return undefined;
  if (ref.kind === 'id') {
    const hex = ref.id.replace(/^sha256:/, '');
    return images.find((i) => i.facts.id.replace(/^sha256:/, '').startsWith(hex));
  }
  if (ref.digest !== undefined) {
    const digest = ref.digest;
    return images.find((i) => i.digests.includes(digest) || i.facts.id === digest);
  }
  const name = formatImageReference({ ...ref, tag: ref.tag ?? 'latest' });
  return images.find((i) => i.names.includes(name));
}
