// The governance console: a fastify plugin with its page and API, mountable on Paddock's
// AdminServer or served alone (paddock-console) in front of any ZooKeeper-protocol service.
export { registerConsole, consoleMount, CONSOLE_PREFIX, type ConsoleHandle, type AdminHost } from './mount.js';
export type { ConsoleOptions, ServerView } from './options.js';
export { httpServerView } from './http-server-view.js';
