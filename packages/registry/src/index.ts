// The service registry's public API; the config center's is at the end.
export { Registry, type RegisterOptions, type Registration, type RegistryEvents } from './registry.js';
export type { RegistryOptions, ReconnectOptions } from './options.js';
export type { BackoffOptions } from './backoff.js';
export type { RegistryState } from './session-keeper.js';
export { Subscription, type SubscriptionEvents } from './subscription.js';
export type { ListStatus } from './service-directory.js';
export type { ChildrenWatchMode } from './children-watch.js';
export { compileFilter, type InstanceFilter, type InstanceFilterSpec } from './instance-filter.js';
export type { Override } from './override.js';
export type { OverrideTarget } from './override-store.js';
export { RegistryError, REGISTRY_ERROR_CODES, type RegistryErrorCode } from './errors.js';
// Instance URLs: one parser/formatter shared with the rpc package.
export {
  formatProviderUrl, parseProviderUrl, formatConsumerUrl, formatUrl, parseUrl, toNodeName, fromNodeName,
  resolveInstance, MAX_URL_LENGTH,
  type ProviderInstance, type Provider, type ConsumerInstance, type UrlParts, type InstanceStamp,
} from './instance-url.js';
export { formatOverrideUrl, parseOverrideUrl, sortOverrides, applyOverrides, type ParsedOverride } from './override.js';
export { PROTOCOLS, DEFAULT_GROUP, DEFAULT_WEIGHT, type Protocol } from './instance-fields.js';
export { DEFAULT_ROOT } from './layout.js';
// The config center.
export * from './config/index.js';
