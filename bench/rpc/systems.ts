import type { EchoSystem } from './system.js';

/** Every system the bench knows, in the order it runs them; each loaded only when used. */
export const SYSTEMS = {
  tcp: async () => (await import('./paddock-system.js')).paddockSystem('tcp'),
  http: async () => (await import('./paddock-system.js')).paddockSystem('http'),
  grpc: async () => (await import('./grpc-system.js')).grpcSystem,
  moleculer: async () => (await import('./moleculer-system.js')).moleculerSystem,
  raw: async () => (await import('./raw-system.js')).rawSystem,
} as const satisfies Record<string, () => Promise<EchoSystem>>;

export type SystemName = keyof typeof SYSTEMS;
export const SYSTEM_NAMES = Object.keys(SYSTEMS) as SystemName[];

export function isSystemName(name: string): name is SystemName {
  return Object.hasOwn(SYSTEMS, name);
}
