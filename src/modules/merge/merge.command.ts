/**
 * `profilegraph merge --domain <name> --main <id> --merge <id> [--merge <id> …] [--field <field>=<id> …]
 *  [--conflict recency|source] [--source-priority <name> …] [--dry-run]` and
 * `profilegraph unmerge --domain <name> <mergeId>` (options: src/cli.ts): mergeProfiles and
 * unmergeProfiles straight on the database, through the same service. The result is printed as JSON
 * on stdout (for a merge: the merge, the resulting profile's fields and the objects moved).
 */
import { CliError, ExitCode, withCliDomain } from '../../cli-domain.js';
import { mergeProfiles, unmergeProfiles } from './merge.service.js';

export interface MergeCommandOptions {
  domain: string;
  main: string;
  merge: string[];
  field?: string[];
  conflict?: 'RECENCY' | 'SOURCE';
  sourcePriority?: string[];
  dryRun?: boolean;
}

function fieldSources(list: readonly string[] | undefined): { field: string; profileId: string }[] {
  return (list ?? []).map((entry) => {
    const at = entry.indexOf('=');
    if (at < 1 || at === entry.length - 1) throw new CliError(`--field "${entry}" must be <field>=<profile id>, e.g. firstName=3f0c…`);
    return { field: entry.slice(0, at), profileId: entry.slice(at + 1) };
  });
}

export async function mergeCommand(opts: MergeCommandOptions): Promise<number> {
  const sources = fieldSources(opts.field);
  return withCliDomain(opts.domain, async (scope) => {
    const out = await mergeProfiles(scope, {
      mainProfileId: opts.main,
      profileIdsToMerge: opts.merge,
      fieldSources: sources,
      conflictResolution: opts.conflict ?? 'RECENCY',
      sourcePriority: opts.sourcePriority ?? null,
      dryRun: opts.dryRun ?? false,
      origin: 'MANUAL',
    });
    console.log(JSON.stringify(out, null, 2));
    console.error(
      out.dryRun
        ? `Dry run: merging would move ${out.movedObjects.length} object(s) to profile ${opts.main}; nothing was written.`
        : `Merged ${opts.merge.length} profile(s) into ${opts.main} (merge ${out.merge!.id}; undo with "profilegraph unmerge --domain ${opts.domain} ${out.merge!.id}").`,
    );
    return ExitCode.OK;
  });
}

export async function unmergeCommand(mergeId: string, opts: { domain: string }): Promise<number> {
  return withCliDomain(opts.domain, async (scope) => {
    const out = await unmergeProfiles(scope, mergeId);
    console.log(JSON.stringify(out, null, 2));
    console.error(`Undid merge ${mergeId}: restored ${out.restoredProfileIds.length} profile(s).`);
    return ExitCode.OK;
  });
}
