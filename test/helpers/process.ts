/**
 * A gateway (or any command that prints "listening on http://…/graphql") started as a real process:
 * resolves with its URL once it prints it, rejects with everything it printed if it exits first.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface Listening {
  proc: ChildProcess;
  /** The printed GraphQL URL. */
  url: string;
  /** Everything printed so far (stdout and stderr). */
  output: () => string;
  exited: Promise<number | null>;
}

export function startListening(command: string, args: readonly string[], options: SpawnOptions, running: ChildProcess[] = []): Promise<Listening> {
  const proc = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(proc);
  let out = '';
  proc.stdout!.on('data', (d) => (out += d.toString()));
  proc.stderr!.on('data', (d) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = () => {
      const m = /listening on (http:\/\/\S+\/graphql)/.exec(out);
      if (m) {
        proc.stdout!.off('data', onData);
        resolve({ proc, url: m[1]!, output: () => out, exited });
      }
    };
    proc.stdout!.on('data', onData);
    void exited.then((code) => reject(new Error(`${[command, ...args].join(' ')} exited (${code}) before listening:\n${out}`)));
  });
}
