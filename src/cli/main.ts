/** The `storepulse` command line. Every command reads STOREPULSE_DATA_DIR (default ./data). */
import { Command } from 'commander';
import { registerStartCommands } from './start-command.js';
import { runProgram } from './run-program.js';
import { registerImportCommand } from './import.js';
import { registerKpiCommand } from './kpi.js';
import { registerSimulateCommand } from './simulate.js';
import { registerReportCommand } from './report.js';
import { registerJobsCommands } from './jobs.js';
import { registerQueryCommand } from './query.js';

const program = new Command()
  .name('storepulse')
  .description('Sales and traffic analytics pipeline for online stores: ingest, store, KPIs, jobs, reports.')
  .option('--data-dir <dir>', 'data directory (default: STOREPULSE_DATA_DIR or ./data)')
  .hook('preAction', (command) => {
    const dataDir = command.opts().dataDir as string | undefined;
    if (dataDir) process.env.STOREPULSE_DATA_DIR = dataDir;
  });

registerStartCommands(program);
registerImportCommand(program);
registerKpiCommand(program);
registerSimulateCommand(program);
registerReportCommand(program);
// The jobs (the weekly report's renderer among them) load only when a jobs command runs.
registerJobsCommands(program, async () => (await import('../jobs/index.js')).createJobs);
registerQueryCommand(program);

await runProgram(program);
