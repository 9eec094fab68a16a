/**
 * `storepulse start` and `storepulse demo`, as commander sees them. The server (fastify, the jobs,
 * the report renderer) loads only when one of them runs, so the other commands start without it.
 */
import type { Command } from 'commander';

export function registerStartCommands(program: Command): void {
  registerServerCommand(program, 'start', 'run the server: ingest API, consumer, query API', false);
  registerServerCommand(program, 'demo', 'seed a demo shop (once) and run the server: what `npm start` runs', true);
}

function registerServerCommand(program: Command, name: string, description: string, demo: boolean): void {
  program
    .command(name)
    .description(description)
    .option('-p, --port <port>', 'port to listen on (default: STOREPULSE_PORT or 8080)')
    .option('--host <host>', 'address to listen on (default: STOREPULSE_HOST or 127.0.0.1)')
    .action(async (options: { port?: string; host?: string }) => {
      const { runServerCommand } = await import('./start.js');
      await runServerCommand(options, { demo });
    });
}
