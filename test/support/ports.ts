// Shared with the benches (a compiled project), so the code lives in bench/support.
export { freePort } from '../../bench/support/ports.js';
