import { scheduleRun } from './batch.js';

// The other half of the seeded schedules (see schedules-1.test.ts).
scheduleRun(1, 2);
