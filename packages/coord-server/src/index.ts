export { CoordServer, VERSION } from './coord-server.js';
export type { CoordServerOptions, MetricsProviderOptions } from './config/options.js';
export type { AdminMount, AdminMountHost } from './config/admin-mount.js';
export { ManualClock, systemClock, type Clock } from '@paddock/edges';
