// The benches start Paddock members as processes too, and bench is a compiled project that
// cannot import test/, so the code lives in bench/support; this path keeps the tests' imports working.
export * from '../../../bench/support/paddock-process.js';
