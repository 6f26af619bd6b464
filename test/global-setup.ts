import { execFileSync } from 'node:child_process';

/**
 * Builds the packages once before any test file runs: tests that start the real `coord-server`
 * bin (or a benchmark's child process) need `dist/`, and files building it in parallel race.
 */
export default function setup(): void {
  execFileSync('npx', ['tsc', '-b'], { stdio: 'inherit' });
}
