// The Docker checker: resolve engine endpoints, collect facts over the Engine
// API (GET only), and normalise raw answers into typed facts. No security
// judgement lives here.
export {
  collectEngine,
  collectImages,
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  type CollectOptions,
  type ContainerCollection,
  type EngineCollection,
  type ImageCollection,
} from './collect.js';
export { DEFAULT_SOCKET, parseEndpoint, resolveEndpoints, type EngineEndpoint, type ResolveOptions } from './endpoint.js';
export { normalizeContainer, normalizeEngine, normalizeImage } from './normalize.js';
