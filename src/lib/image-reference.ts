// Parses Docker image references (Config.Image) the way the distribution
// reference grammar and Docker's normalisation do, so provenance checks agree
// with the engine about which registry and repository an image comes from.
//
// Grammar (github.com/distribution/reference):
//   reference  := name [ ":" tag ] [ "@" digest ]
//   name       := [ domain "/" ] path-component ( "/" path-component )*
//   domain     := host [ ":" port ]
//   tag        := [\w][\w.-]{0,127}
//   digest     := algorithm ":" hex
// Normalisation (ParseNormalizedNamed): the first component is a registry only
// when it contains `.` or `:`, is `localhost`, or has upper case letters
// (registry hosts may, repository paths may not); otherwise the registry is
// `docker.io`. `index.docker.io` means `docker.io`, and a single-component
// Docker Hub name gets the `library/` namespace of official images.

export const DEFAULT_REGISTRY = 'docker.io';
const LEGACY_DEFAULT_REGISTRY = 'index.docker.io';
const OFFICIAL_NAMESPACE = 'library';
/** The distribution grammar's limit on the fully qualified name. */
const NAME_MAX_LENGTH = 255;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const TAG = /^\w[\w.-]{0,127}$/;
/** go-digest refuses algorithms it does not know and wrong lengths. */
const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };
/**
 * Docker resolves a bare hex string, with or without `sha256:`, as an image ID
 * (or a unique prefix of one); the CLI shows 12-character prefixes. Such a
 * string is also a valid repository name, but Docker refuses 64-hex names and
 * nobody names images after hex, so it is read as an ID.
 */
const IMAGE_ID = /^(?:sha256:)?[a-f0-9]{12,64}$/;

/** A reference that names a repository (as opposed to an image ID). */
export interface ImageName {
  kind: 'name';
  /** Registry host with optional port, lower case; `docker.io` when the reference names none. */
  registry: string;
  /** Repository path inside the registry, with `library/` for official Docker Hub images. */
  path: string;
  /** `registry/path`, the fully qualified repository. */
  repository: string;
  /** The tag as written; undefined when none is given (Docker then uses `latest` unless a digest is given). */
  tag?: string;
  /** `algorithm:hex` when the reference is pinned by digest. */
  digest?: string;
}

/** A reference that is a content-addressed image ID or a prefix of one. */
export interface ImageId {
  kind: 'id';
  /** As written: `sha256:<hex>` or bare hex, 12 to 64 characters of it. */
  id: string;
}

export type ImageReference = ImageName | ImageId;

/** Parses an image reference; undefined when Docker would reject it. */
export function parseImageReference(input: string): ImageReference | undefined {
  const ref = input.trim();
  if (IMAGE_ID.test(ref)) return { kind: 'id', id: ref };

  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isValidDigest(digest)) return undefined;
  }

  // A tag colon comes after the last slash; an earlier colon is a registry port.
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }

  const split = splitRegistry(rest);
  if (split === undefined) return undefined;
  const { registry, path } = split;
  if (!path.split('/').every((component) => PATH_COMPONENT.test(component))) return undefined;
  const repository = `${registry}/${path}`;
  if (repository.length > NAME_MAX_LENGTH) return undefined;

  const name: ImageName = { kind: 'name', registry, path, repository };
  if (tag !== undefined) name.tag = tag;
  if (digest !== undefined) name.digest = digest;
  return name;
}

/** The canonical form: `docker.io/library/nginx:1.27@sha256:...`, or the ID as written. */
export function formatImageReference(ref: ImageReference): string {
  if (ref.kind === 'id') return ref.id;
  return `${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/**
 * Whether an allow-list entry covers a repository. An entry is a registry host
 * (`ghcr.io`, `localhost:5000`), which covers every repository on it, or a host
 * and path prefix (`ghcr.io/acme`), which covers that repository and those
 * below it on whole path components (`ghcr.io/acme-evil/app` is not covered).
 * Hosts compare case-insensitively and `index.docker.io` means `docker.io`.
 * The entry's path is taken literally: `docker.io/library` covers official
 * images, `docker.io/nginx` covers the `nginx/` namespace, not `library/nginx`.
 */
export function registryEntryCovers(entry: string, name: ImageName): boolean {
  const trimmed = entry.trim().replace(/\/+$/, '');
  if (trimmed === '') return false;
  const slash = trimmed.indexOf('/');
  const host = normaliseRegistry(slash < 0 ? trimmed : trimmed.slice(0, slash));
  if (host !== name.registry) return false;
  if (slash < 0) return true;
  const prefix = trimmed.slice(slash + 1);
  return name.path === prefix || name.path.startsWith(`${prefix}/`);
}

function splitRegistry(name: string): { registry: string; path: string } | undefined {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const isRegistry =
    slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  if (!isRegistry) return withOfficialNamespace(DEFAULT_REGISTRY, name);
  if (!DOMAIN.test(first)) return undefined;
  return withOfficialNamespace(normaliseRegistry(first), name.slice(slash + 1));
}

function withOfficialNamespace(registry: string, path: string): { registry: string; path: string } {
  if (registry === DEFAULT_REGISTRY && !path.includes('/')) return { registry, path: `${OFFICIAL_NAMESPACE}/${path}` };
  return { registry, path };
}

function normaliseRegistry(host: string): string {
  const lower = host.toLowerCase();
  return lower === LEGACY_DEFAULT_REGISTRY ? DEFAULT_REGISTRY : lower;
}

function isValidDigest(digest: string): boolean {
  const colon = digest.indexOf(':');
  if (colon < 0) return false;
  const expectedLength = DIGEST_HEX_LENGTH[digest.slice(0, colon)];
  const hex = digest.slice(colon + 1);
  return expectedLength !== undefined && hex.length === expectedLength && /^[a-f0-9]+$/.test(hex);
}
