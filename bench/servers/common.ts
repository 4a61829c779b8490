/** Helpers shared by the benchmark's server children. */
import { writeSync } from 'node:fs';

/** Tells the parent (bench/read.ts) the server is listening. */
export function ready(url: string): void {
  writeSync(1, `READY ${url}\n`);
}

/** Exit cleanly on SIGTERM/SIGINT so `--cpu-prof` writes its profile. */
export function exitOnSignal(close: () => Promise<void> | void): void {
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    const timer = setTimeout(() => process.exit(0), 3000);
    timer.unref();
    Promise.resolve()
      .then(close)
      .catch(() => {})
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
