// The config center: `/config/<namespace>/<key>` znodes holding JSON values, read, written and watched live.
export {
  ConfigCenter, type ConfigCenterOptions, type ConfigCenterConnectOptions, type ConfigCenterEvents, type ConfigWatch,
} from './config-center.js';
export type { ConfigUpdate, ConfigListener } from './config-update.js';
export { ConfigValueError, DEFAULT_JUTE_MAX_BUFFER, type JsonValue } from './config-value.js';
export { CONFIG_ROOT, MAX_NAME_LENGTH } from './config-names.js';
export { LiveValue, type LiveValueEvents, type Toggle } from './live-value.js';
