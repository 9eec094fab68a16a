/**
 * The storepulse command line with the jobs and query commands over a small, known job list (the
 * real entry, src/cli/main.ts, registers them with every job of src/jobs/index.ts).
 */
import { Command } from 'commander';
import { registerJobsCommands } from '../../src/cli/jobs.js';
import { runProgram } from '../../src/cli/run-program.js';
import { registerQueryCommand } from '../../src/cli/query.js';
import { countrySplitJob } from '../../src/jobs/country-split.js';
import { queryJob } from '../../src/jobs/query.js';

const program = new Command().name('storepulse');
registerJobsCommands(program, async () => (app) => [
  countrySplitJob(app),
  queryJob(app),
  {
    name: 'broken', description: 'always fails', defaultSchedule: '0 0 1 1 *',
    run: () => Promise.reject(new Error('no route to the moon')),
  },
]);
registerQueryCommand(program);

await runProgram(program);
