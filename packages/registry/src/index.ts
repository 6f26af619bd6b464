// The registry and config center are being built (issue 4); this file is their public API.
export {};
export * from './config/index.js';
