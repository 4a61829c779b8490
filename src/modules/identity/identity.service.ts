import { sql } from 'drizzle-orm';
import { query, type Executor } from '../../db/database.js';
import { badInput, conflict, notFound } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { JobContext, JobHandler, JobRunner } from '../jobs/job-runner.js';
import type { JobRow } from '../jobs/job.repository.js';
import { decodeCursor, pageSize, toConnection, toPage, UUID, type Connection } from '../pagination.js';
import { scopeNow, type DomainScope } from '../scope.js';
import { DEFAULT_MATCHING_CONFIG, profileRecord, runOptions, validateMatchingConfig, type ConflictResolution, type MatchingConfigInput, type StoredMatchingConfig } from './identity.config.js';
import {
  candidateIds,
  configRow,
  countProfiles,
  deleteAllKeys,
  ensureCursor,
  foldGroup,
  groupById,
  groupPage,
  matchProfilesByIds,
  profilePage,
  replaceKeys,
  replaceSuggested,
  setGroupStatus,
  suggestedGroupsOf,
  claimGroup,
  setModel,
  upsertConfig,
  type MatchGroupRow,
  type MatchProfileRow,
  type NewGroup,
} from './identity.repository.js';
import type { MatchGroupStatus } from './identity.table.js';
import {
  defaultFieldSpecs,
  defaultModel,
  explainPair,
  ruleLevelAgainst,
  runMatching,
  scoreAgainst,
  storeKeys,
  type FieldContribution,
  type MatchRecord,
  type Model,
} from './matcher.js';

/**
 * Folds matched profiles into one. Supplied by the composition root (the merge module); without
 * one, groups above the auto-merge threshold stay SUGGESTED.
 */
export interface AutoMerger {
  merge(
    scope: DomainScope,
    input: { mainProfileId: string; profileIdsToMerge: string[]; conflictResolution: ConflictResolution; sourcePriority: string[] },
  ): Promise<{ mergeId: string }>;
}

export interface MatchingConfigView extends StoredMatchingConfig {
  version: number;
  updatedAt: Date | null;
  /** A full job has trained the probabilistic model (else typical values are used). */
  trained: boolean;
}

/** The domain's configuration, or the defaults (not enabled) when it has none. */
export async function matchingConfig(scope: DomainScope): Promise<MatchingConfigView> {
  const row = await configRow(scope.database.db, scope.domain.id);
  if (!row) return { ...DEFAULT_MATCHING_CONFIG, version: 0, updatedAt: null, trained: false };
  return { ...DEFAULT_MATCHING_CONFIG, ...row.config, version: row.version, updatedAt: row.updatedAt, trained: row.model !== null };
}

/** Replaces the domain's configuration; on-write matching starts from the log's current position. */
export async function putMatchingConfig(scope: DomainScope, input: MatchingConfigInput): Promise<MatchingConfigView> {
  const config = validateMatchingConfig(input);
  await scope.database.db.transaction(async (tx) => {
    await upsertConfig(tx, scope.domain.id, config, scopeNow(scope));
    await ensureCursor(tx, scope.domain.id);
  });
  return matchingConfig(scope);
}

/** Dismisses a SUGGESTED group (a DISMISSED one stays as it is). */
export async function dismissMatch(scope: DomainScope, id: string): Promise<MatchGroupView> {
  if (!UUID.test(id)) throw notFound('Match group', id);
  const db = scope.database.db;
  return db.transaction(async (tx) => {
    const g = await groupById(tx, scope.domain.id, id);
    if (!g) throw notFound('Match group', id);
    if (g.status === 'MERGED') throw conflict(`Match group "${id}" was merged; undo the merge with unmergeProfiles instead.`, { id });
    if (g.status === 'SUGGESTED') await setGroupStatus(tx, scope.domain.id, id, 'DISMISSED', null, scopeNow(scope));
    return (await groupById(tx, scope.domain.id, id))!;
  });
}

// ------------------------------------------------------------------------------------------------
// Reads

export type MatchGroupView = MatchGroupRow;

export async function matchesPage(
  scope: DomainScope,
  args: { minConfidence?: number | null; first?: number | null; after?: string | null; status?: string | null },
): Promise<Connection<MatchGroupView>> {
  const min = args.minConfidence ?? 0.5;
  if (!Number.isFinite(min) || min < 0 || min > 1) throw badInput(`minConfidence must be between 0 and 1; got ${min}.`, 'minConfidence');
  const status = args.status ?? null;
  if (status !== null && !['SUGGESTED', 'MERGED', 'DISMISSED'].includes(status)) throw badInput('status is SUGGESTED, MERGED or DISMISSED.', 'status');
  const limit = pageSize(args.first);
  const cursor = decodeCursor(args.after);
  let after: { confidence: number; id: string } | null = null;
  if (cursor) {
    const c = Number(cursor.sort);
    if (!Number.isFinite(c) || !UUID.test(cursor.id)) throw badInput('"after" is not a cursor returned by this API.', 'after');
    after = { confidence: c, id: cursor.id };
  }
  const rows = await groupPage(scope.database.db, scope.domain.id, min, status as MatchGroupStatus | null, limit, after);
  return toConnection(toPage(rows, limit, cursor), (g) => ({ sort: String(g.confidence), id: g.id }));
}

export interface ProfileMatchView {
  profileId: string;
  confidence: number;
  fields: FieldContribution[];
  method: string;
}

const MAX_SIMILAR = 50;
const MAX_CANDIDATES = 500;

async function modelOf(scope: DomainScope, config: StoredMatchingConfig, stored: Model | null): Promise<Model> {
  return stored ?? defaultModel(defaultFieldSpecs(config.compareAttributes));
}

/** Candidates sharing a blocking key or a search key (e-mail, phone, account, full name), scored. */
/** Another profile a profile may be (a SUGGESTED match group holding both). */
export interface DuplicateCandidate {
  profileId: string;
  /** The group's confidence, 0–1. */
  confidence: number;
  /** The fields that agreed (exact or fuzzy), most weight first. */
  fields: string[];
}

/**
 * For each of `profileIds`, the other members of the SUGGESTED match groups it is in (one statement
 * for all): the explorer's PROBABLE_DUPLICATE insight. Deleted (or merged-away) members are left to
 * the reader, which only shows profiles it can load.
 */
export async function duplicateCandidates(scope: DomainScope, profileIds: readonly string[]): Promise<Map<string, DuplicateCandidate[]>> {
  const out = new Map<string, DuplicateCandidate[]>();
  const asked = new Set(profileIds);
  for (const g of await suggestedGroupsOf(scope.database.db, scope.domain.id, [...asked])) {
    const fields = [...g.fields].filter((f) => f.weight > 0).sort((a, b) => b.weight - a.weight).map((f) => f.field);
    for (const id of g.profileIds) {
      if (!asked.has(id)) continue;
      const list = out.get(id) ?? [];
      for (const other of g.profileIds) if (other !== id && !list.some((c) => c.profileId === other)) list.push({ profileId: other, confidence: Number(g.confidence), fields });
      out.set(id, list);
    }
  }
  for (const list of out.values()) list.sort((a, b) => b.confidence - a.confidence);
  return out;
}

export async function similarProfiles(scope: DomainScope, profileId: string, first: number | null | undefined): Promise<ProfileMatchView[]> {
  const n = first ?? 10;
  if (!Number.isInteger(n) || n < 1 || n > MAX_SIMILAR) throw badInput(`first must be between 1 and ${MAX_SIMILAR}.`, 'first');
  if (!UUID.test(profileId)) throw notFound('Profile', profileId);
  const db = scope.database.db;
  const [row] = await matchProfilesByIds(db, scope.domain.id, [profileId]);
  if (!row) throw notFound('Profile', profileId);
  const cfgRow = await configRow(db, scope.domain.id);
  const config = cfgRow ? { ...DEFAULT_MATCHING_CONFIG, ...cfgRow.config } : DEFAULT_MATCHING_CONFIG;
  const model = await modelOf(scope, config, cfgRow?.model ?? null);
  const record = profileRecord(row);
  const opts = { ...runOptions(config, scope.domain.defaultPhoneRegion), model };
  const keys = storeKeys([record], opts)[0]!;
  const ids = new Set([
    ...(await candidateIds(db, scope.domain.id, keys, profileId, config.lowCardinalityLimit, MAX_CANDIDATES)),
    ...(await searchKeyCandidates(db, scope.domain.id, profileId, config.lowCardinalityLimit)),
  ]);
  const rows = await matchProfilesByIds(db, scope.domain.id, [...ids].slice(0, MAX_CANDIDATES));
  return scoreCandidates(record, rows, config, model, scope.domain.defaultPhoneRegion)
    .sort((a, b) => b.confidence - a.confidence || a.profileId.localeCompare(b.profileId))
    .slice(0, n);
}

/** Profiles sharing one of the profile's search keys (profile_keys), skipping values shared by more than `limit`. */
async function searchKeyCandidates(db: Executor, domainId: string, profileId: string, limit: number): Promise<string[]> {
  const rows = await query<{ id: string }>(
    db,
    sql`with mine as (
          select key_name, value from profile_keys where domain_id = ${domainId} and profile_id = ${profileId}::uuid and key_name in ('_email', '_phone', '_account', '_fullName')
        ), common as (
          select k.key_name, k.value from profile_keys k join mine m on m.key_name = k.key_name and m.value = k.value
          where k.domain_id = ${domainId} group by k.key_name, k.value having count(distinct k.profile_id) <= ${limit}
        )
        select distinct k.profile_id as id from profile_keys k join common c on c.key_name = k.key_name and c.value = k.value
        where k.domain_id = ${domainId} and k.profile_id <> ${profileId}::uuid limit ${MAX_CANDIDATES}`,
  );
  return rows.map((r) => r.id);
}

function scoreCandidates(record: MatchRecord, rows: MatchProfileRow[], config: StoredMatchingConfig, model: Model, region: string): ProfileMatchView[] {
  const opts = runOptions(config, region);
  const cands = rows.map(profileRecord);
  const levels = ruleLevelAgainst(record, cands, opts.rules, opts);
  const scored = config.probabilistic ? scoreAgainst(record, cands, model, opts) : [];
  return rows.map((r, k) => {
    const rule = levels[k]!;
    if (rule > 0) {
      return {
        profileId: r.id,
        confidence: 1,
        method: `RULE:${rule}`,
        fields: config.rules[rule - 1]!.attributes.map((a) => ({ field: a.type === 'ATTRIBUTE' ? a.fields.map((f) => `attributes.${f}`).join('|') : a.type, level: `RULE:${rule}`, weight: 0 })),
      };
    }
    const s = scored[k];
    return { profileId: r.id, confidence: s ? round4(s.probability) : 0, method: 'PROBABILISTIC', fields: s ? s.fields.filter((f) => f.level !== 'MISSING') : [] };
  });
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

// ------------------------------------------------------------------------------------------------
// On-write matching (called by the maintainer, inside its transaction)

export interface AutoMergeCandidate {
  groupId: string;
  profileIds: string[];
}

/**
 * Checks written profiles against their blocking candidates: refreshes their keys and folds every
 * match at or above the suggest threshold into a SUGGESTED group. Returns the groups at or above the
 * auto-merge threshold (merged after the transaction).
 */
export async function matchWritten(tx: Executor, scope: DomainScope, profileIds: readonly string[], config: StoredMatchingConfig, stored: Model | null): Promise<AutoMergeCandidate[]> {
  const domainId = scope.domain.id;
  const region = scope.domain.defaultPhoneRegion;
  const model = await modelOf(scope, config, stored);
  const rows = await matchProfilesByIds(tx, domainId, profileIds);
  if (rows.length === 0) return [];
  const records = rows.map(profileRecord);
  const opts = { ...runOptions(config, region), model };
  const keys = storeKeys(records, opts);
  await replaceKeys(
    tx,
    domainId,
    rows.map((r) => r.id),
    keys,
  );
  const out: AutoMergeCandidate[] = [];
  const now = scopeNow(scope);
  for (let i = 0; i < rows.length; i++) {
    const ids = await candidateIds(tx, domainId, keys[i]!, rows[i]!.id, config.lowCardinalityLimit, MAX_CANDIDATES);
    if (ids.length === 0) continue;
    const cands = await matchProfilesByIds(tx, domainId, ids);
    const matched = scoreCandidates(records[i]!, cands, config, model, region).filter((m) => m.confidence >= config.suggestThreshold);
    if (matched.length === 0) continue;
    const weakest = matched.reduce((a, b) => (b.confidence < a.confidence ? b : a));
    const rule = matched.filter((m) => m.method.startsWith('RULE:')).sort((a, b) => a.method.localeCompare(b.method))[0];
    const group = await foldGroup(
      tx,
      domainId,
      { profileIds: [rows[i]!.id, ...matched.map((m) => m.profileId)], confidence: weakest.confidence, method: rule?.method ?? 'PROBABILISTIC', fields: weakest.fields },
      now,
    );
    if (group && config.autoMergeThreshold !== null && group.confidence >= config.autoMergeThreshold) out.push({ groupId: group.id, profileIds: group.profileIds });
  }
  return out;
}

/**
 * Merges groups through the injected merger (the most recently updated profile is the main one);
 * marks each MERGED. Returns how many were merged; failures are reported, not thrown.
 */
export async function autoMerge(scope: DomainScope, merger: AutoMerger | null, config: StoredMatchingConfig, groups: AutoMergeCandidate[], onError: (reason: string) => void): Promise<number> {
  if (!merger || groups.length === 0) return 0;
  let merged = 0;
  for (const g of groups) {
    // claimed first: another pass (on-write or the job) holding the same group skips it
    if (!(await claimGroup(scope.database.db, scope.domain.id, g.groupId, scopeNow(scope)))) continue;
    try {
      const rows = await matchProfilesByIds(scope.database.db, scope.domain.id, g.profileIds);
      if (rows.length < 2) {
        await setGroupStatus(scope.database.db, scope.domain.id, g.groupId, 'SUGGESTED', null, scopeNow(scope));
        continue;
      }
      rows.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || a.id.localeCompare(b.id));
      const { mergeId } = await merger.merge(scope, {
        mainProfileId: rows[0]!.id,
        profileIdsToMerge: rows.slice(1).map((r) => r.id),
        conflictResolution: config.conflictResolution,
        sourcePriority: config.sourcePriority,
      });
      await setGroupStatus(scope.database.db, scope.domain.id, g.groupId, 'MERGED', mergeId, scopeNow(scope));
      merged++;
    } catch (err) {
      await setGroupStatus(scope.database.db, scope.domain.id, g.groupId, 'SUGGESTED', null, scopeNow(scope)).catch(() => {});
      onError(`group ${g.groupId}: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500));
    }
  }
  return merged;
}

// ------------------------------------------------------------------------------------------------
// The full job

export function startMatchingJob(scope: DomainScope, runner: JobRunner): Promise<JobRow> {
  return runner.enqueue(scope, 'MATCHING', {});
}

const PAGE = 2000;

/**
 * The full matching job: reads every profile of the domain, matches them all (rule levels and the
 * probabilistic model, trained here), then in one transaction stores the model, every profile's
 * blocking keys and the new SUGGESTED groups; then auto-merges. Counts: profilesReviewed,
 * matchesFound, mergesDone (and candidatePairs).
 */
export function matchingJobHandler(deps: { autoMerger: AutoMerger | null; logger?: Logger }): JobHandler {
  return async (ctx: JobContext) => {
    const { scope } = ctx;
    const db = scope.database.db;
    const domainId = scope.domain.id;
    const cfgRow = await configRow(db, domainId);
    const config: StoredMatchingConfig = cfgRow ? { ...DEFAULT_MATCHING_CONFIG, ...cfgRow.config } : { ...DEFAULT_MATCHING_CONFIG, enabled: true };
    const total = await countProfiles(db, domainId);
    const counts = { profilesReviewed: 0, matchesFound: 0, mergesDone: 0, candidatePairs: 0 };
    ctx.setCounts(counts);
    await ctx.progress(0, total);
    const rows: MatchProfileRow[] = [];
    let after: string | null = null;
    for (;;) {
      await ctx.checkpoint();
      const page = await profilePage(db, domainId, after, PAGE);
      rows.push(...page);
      counts.profilesReviewed = rows.length;
      ctx.setCounts({ ...counts });
      await ctx.progress(rows.length, Math.max(total, rows.length));
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.id;
    }
    const records = rows.map(profileRecord);
    const opts = runOptions(config, scope.domain.defaultPhoneRegion);
    const run = runMatching(records, opts);
    await ctx.checkpoint();
    const model = run.model;
    const keys = storeKeys(records, { ...opts, model: model ?? undefined });
    const groups: NewGroup[] = run.clusters
      .filter((c) => c.confidence >= config.suggestThreshold)
      .map((c) => {
        const w = c.weakest;
        let fields: FieldContribution[];
        if (w.rule !== null) fields = (w.attributes ?? []).map((field) => ({ field, level: `RULE:${w.rule}`, weight: 0 }));
        else fields = explainPair(run.prep!, model!, w.a, w.b).filter((f) => f.level !== 'MISSING');
        return { profileIds: c.members.map((i) => records[i]!.id), confidence: round4(c.confidence), method: c.method, fields };
      });
    const written = await db.transaction(async (tx) => {
      if (model) await setModel(tx, domainId, model);
      await deleteAllKeys(tx, domainId);
      for (let i = 0; i < records.length; i += PAGE) {
        await replaceKeys(
          tx,
          domainId,
          records.slice(i, i + PAGE).map((r) => r.id),
          keys.slice(i, i + PAGE),
        );
      }
      return replaceSuggested(tx, domainId, groups, scopeNow(scope));
    });
    counts.matchesFound = written.length;
    counts.candidatePairs = run.stats.candidatePairs;
    ctx.setCounts({ ...counts });
    if (config.autoMergeThreshold !== null) {
      const auto = written.filter((g) => g.confidence >= config.autoMergeThreshold!).map((g) => ({ groupId: g.id, profileIds: g.profileIds }));
      counts.mergesDone = await autoMerge(scope, deps.autoMerger, config, auto, (reason) => ctx.rowError(0, reason));
      ctx.setCounts({ ...counts });
    }
    await ctx.progress(rows.length, rows.length);
    return { ...counts, ruleLinks: run.stats.ruleLinks, probabilisticLinks: run.stats.probabilisticLinks, modelTrained: model !== null };
  };
}
