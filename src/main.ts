/**
 * `npm start`: the gateway (see gateway.ts). `--seed` loads a demo domain even if domains exist,
 * `--no-seed` never does.
 */
import { runGateway } from './gateway.js';

const args = new Set(process.argv.slice(2));
await runGateway({ seed: args.has('--seed') ? true : args.has('--no-seed') ? false : undefined });
