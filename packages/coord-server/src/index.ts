export { CoordServer, VERSION } from './coord-server.js';
export type { CoordServerOptions, MetricsProviderOptions } from './config/options.js';
export { ManualClock, systemClock, type Clock } from '@paddock/edges';
