/**
 * The `profilegraph` command line (bin/profilegraph, or `npm run cli -- <command> …`). Commands run
 * against the database directly (DATABASE_URL, or the embedded one in PROFILEGRAPH_DATA_DIR).
 *
 *   profilegraph export --domain <name> --type profile --format jsonl --out profiles.jsonl
 *   profilegraph import <file.csv> --domain <name> --type <ObjectType> [--mapping type.json]
 */
import { runExportCommand } from './modules/export/export.command.js';
import { runImportCommand } from './modules/import/import.command.js';

const commands: Record<string, (argv: string[]) => Promise<number>> = {
  export: runExportCommand,
  import: runImportCommand,
};

const [name, ...rest] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  console.error(`usage: profilegraph <${Object.keys(commands).join('|')}> …`);
  process.exit(1);
}
process.exit(await command(rest));
