import { scheduleRun } from './batch.js';

// Half of the seeded schedules; schedules-2.test.ts runs the other half in parallel.
scheduleRun(0, 2);
