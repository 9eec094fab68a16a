import type { Command } from 'commander';
import { ConfigError } from '../config.js';
import { DataDirBusyError } from '../app.js';

/** Runs the command line; a configuration problem or a busy data dir is a message and exit 2, not a stack trace. */
export async function runProgram(program: Command, argv: string[] = process.argv): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DataDirBusyError) {
      process.stderr.write(`storepulse: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
