/** Runs the real `storepulse` command as a child process, as a user would. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedData = (name: string) => path.resolve(repoRoot, '../shared/data', name);
const bin = path.join(repoRoot, 'bin/storepulse.js');

export interface CommandResult { code: number | null; stdout: string; stderr: string }

export function runStorepulse(args: string[], env: Record<string, string>): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env: { ...process.env, STOREPULSE_LOG_LEVEL: 'warn', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ServerProcess { child: ChildProcess; url: string; output: () => string }

/** Starts `storepulse start` and resolves with its URL once it prints it. */
export function startServerProcess(env: Record<string, string>, args: string[] = ['start']): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env: { ...process.env, STOREPULSE_LOG_LEVEL: 'warn', STOREPULSE_PORT: '0', ...env } });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /POST (http:\/\/\S+)\/v1\/events/.exec(output);
      if (match) resolve({ child, url: match[1], output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`storepulse exited with ${code} before serving:\n${output}`)));
  });
}

export function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}
