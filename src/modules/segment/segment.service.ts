/**
 * Segment use cases: define (rule tree or text), read, delete, evaluate on demand (count, a page of
 * members, membership of given profiles, the segments of a page of profiles) and keep live
 * membership (segment_members + SEGMENT_ENTERED / SEGMENT_EXITED events). Every evaluation is ONE
 * statement built from the compiled rule.
 */
import { sql, type SQL } from 'drizzle-orm';
import { badInput, conflict, notFound, AppError, ErrorCode } from '../../errors.js';
import type { Executor } from '../../db/database.js';
import type { EventHub } from '../events/event-hub.js';
import type { NewEvent } from '../events/event.repository.js';
import type { EventStream } from '../events/event-stream.js';
import { parseEventId } from '../events/event.service.js';
import { UUID, cursorTime, decodeCursor, pageSize, toConnection, toPage, byTime, type Connection } from '../pagination.js';
import type { ProfileRow } from '../profile/profile.repository.js';
import { profiles } from '../profile/profile.table.js';
import { scopeNow, writeTransaction, type DomainScope } from '../scope.js';
import { compileRule, memberSet, type CompileContext } from './segment.compiler.js';
import {
  countMatching,
  countSet,
  countSegments,
  deleteSegmentRow,
  dependentsOf,
  listSegments,
  lockCursor,
  matchingAmong,
  memberFilter,
  matchingPage,
  objectTypeNames,
  referrersOf,
  segmentNamesAmong,
  segmentsReachable,
  syncMembership,
  upsertSegment,
  type CompiledSegment,
  type MembershipChange,
  type SegmentRow,
} from './segment.repository.js';
import { canonical, checkRule, isTimeDependent, referencedSegments, SEGMENT_NAME, type Rule } from './segment.rule.js';
import { calculatedFor, newestObjectFor, noCalculated, type CalculatedOperands } from './segment.calculated.js';
import { ruleFromText, ruleToText } from './segment.text.js';

/** Segments per domain. */
export const MAX_SEGMENTS = 100;
/** Profiles per segmentMembership call. */
export const MAX_MEMBERSHIP_IDS = 100;
/** `objectType` of segment events; `objectId` is the segment's name. */
export const SEGMENT_OBJECT = 'segment';

/** A segment with the rules of every segment it reaches, so it compiles without more reads. */
export interface LoadedSegment {
  row: SegmentRow;
  reach: ReadonlyMap<string, Rule>;
  /** Memo of the compiled condition (per request: the parent object lives as long as the request). */
  compiled?: SQL;
  /** The domain's calculated attributes as operands, when the rule reads any ({@link prepare}). */
  calculated?: CalculatedOperands;
}

export interface PutSegmentInput {
  name: string;
  description?: string | null | undefined;
  rule?: unknown;
  text?: string | null | undefined;
}

function checkName(name: string, field = 'name'): void {
  if (!SEGMENT_NAME.test(name)) throw badInput(`${field}: "${name.slice(0, 80)}" is not a segment name: a letter, then letters, digits, "_" or "-" (at most 64).`, field);
}

/** The rule a put gives: the tree (validated, paths as given) or the parsed text. */
function ruleOf(input: PutSegmentInput): { raw: Rule; path: string } {
  const hasRule = input.rule !== null && input.rule !== undefined;
  const hasText = input.text !== null && input.text !== undefined;
  if (hasRule === hasText) throw badInput('Give exactly one of rule (the tree) or text (the text form, e.g. "attributes.tier = \'gold\'").', hasRule ? 'text' : 'rule');
  if (hasText) return { raw: ruleFromText(input.text!), path: 'text' };
  return { raw: checkRule(input.rule, 'rule'), path: 'rule' };
}

const reachOf = (rows: readonly SegmentRow[]): Map<string, Rule> => new Map(rows.map((r) => [r.name, r.rule]));

/** Compiles a loaded segment's rule (memoized on it). Object types are not re-checked: a deleted type matches nothing. */
export function compiledCondition(seg: LoadedSegment, now: Date): SQL {
  seg.compiled ??= compileRule(seg.row.rule, { now, segments: seg.reach, objectTypes: ANY_TYPE, calculated: seg.calculated ?? noCalculated }, 'rule', [seg.row.name]);
  return seg.compiled;
}

/**
 * Makes loaded segments ready to compile: when their rules read calculated attributes, expired
 * values are recomputed and the definitions loaded (otherwise nothing runs). Not inside a transaction.
 */
export async function prepare(scope: DomainScope, segs: readonly LoadedSegment[]): Promise<void> {
  const pending = segs.filter((s) => s.calculated === undefined);
  if (pending.length === 0) return;
  const calculated = await calculatedFor(scope, pending.flatMap((s) => [...s.reach.values()]), true);
  for (const s of pending) s.calculated = calculated;
}

/** Every custom object type "exists" when evaluating stored rules (checked when they were put). */
const ANY_TYPE: ReadonlySet<string> = { has: () => true } as unknown as ReadonlySet<string>;

/** The text form of a stored rule. */
export const segmentText = (row: Pick<SegmentRow, 'rule'>): string => ruleToText(row.rule);

/** Parses the text form (validated) into the canonical rule tree. */
export function segmentFromText(text: string): Rule {
  return ruleFromText(text);
}

/**
 * Creates or replaces a segment. The rule is validated against the domain (object types, the
 * segments it references — which must exist and not lead back to it) and stored in canonical
 * form; the membership of it and of the segments that reference it is brought up to date in the
 * same transaction, with SEGMENT_ENTERED / SEGMENT_EXITED events for every change.
 */
export async function putSegment(scope: DomainScope, input: PutSegmentInput): Promise<SegmentRow> {
  checkName(input.name);
  const description = input.description ?? null;
  if (description !== null && description.length > 1000) throw badInput('description: at most 1,000 characters.', 'description');
  const { raw, path } = ruleOf(input);
  const rule = canonical(raw);
  const db = scope.database.db;
  const refs = referencedSegments(rule);
  const reached = await segmentsReachable(db, scope.domain.id, refs);
  const usesCustomTypes = JSON.stringify(rule).includes('"objectType"');
  const types = new Set(usesCustomTypes ? await objectTypeNames(db, scope.domain.id) : []);
  const segments = reachOf(reached.filter((r) => r.name !== input.name));
  // operands for this rule and every segment whose membership the put may re-evaluate (before the transaction)
  const domainRules = (await listSegments(db, scope.domain.id)).map((r) => r.rule);
  const calculated = await calculatedFor(scope, [rule, ...domainRules], true);
  const ctx: CompileContext = { now: scopeNow(scope), segments, objectTypes: types, calculated };
  // Compiled as given, so a problem is reported at the input's path (rule.all[2].condition.field).
  compileRule(raw, ctx, path === 'text' ? 'rule' : path, [input.name]);
  const timeDependent = isTimeDependent(rule) || reached.some((r) => r.name !== input.name && r.timeDependent);
  return writeTransaction(scope, async (tx, emit) => {
    const { row, created } = await upsertSegment(tx, scope.domain.id, { name: input.name, description, rule, refs, timeDependent });
    if (created && (await countSegments(tx, scope.domain.id)) > MAX_SEGMENTS) {
      throw new AppError(ErrorCode.LIMIT_EXCEEDED, `A domain has at most ${MAX_SEGMENTS} segments; delete one first.`, { limit: MAX_SEGMENTS });
    }
    // this segment and every segment that references it (their members may change too)
    const dependents = await dependentsOf(tx, scope.domain.id, row.name);
    await refreshMembership(tx, scope, emit, [row, ...dependents], null, calculated);
    return row;
  });
}

/**
 * An unsaved rule in its text form, checked like putSegment (object types, referenced segments,
 * calculated attributes) and counted: the explorer's "count as you edit". Nothing is written.
 */
export async function previewSegment(scope: DomainScope, text: string): Promise<{ rule: Rule; text: string; count: number }> {
  const raw = ruleFromText(text);
  const rule = canonical(raw);
  const db = scope.database.db;
  const reached = await segmentsReachable(db, scope.domain.id, referencedSegments(rule));
  const types = new Set(JSON.stringify(rule).includes('"objectType"') ? await objectTypeNames(db, scope.domain.id) : []);
  const calculated = await calculatedFor(scope, [rule, ...reached.map((r) => r.rule)], true);
  const ctx = { now: scopeNow(scope), segments: reachOf(reached), objectTypes: types, calculated };
  const condition = compileRule(raw, ctx, 'text');
  return { rule, text: ruleToText(rule), count: await countRule(scope, raw, ctx, condition) };
}

/** A segment by name with what it reaches (one statement), or null. */
export async function loadSegment(scope: DomainScope, name: string): Promise<LoadedSegment | null> {
  if (!SEGMENT_NAME.test(name)) return null;
  const rows = await segmentsReachable(scope.database.db, scope.domain.id, [name]);
  const row = rows.find((r) => r.name === name);
  return row ? { row, reach: reachOf(rows) } : null;
}

export async function requireSegment(scope: DomainScope, name: string): Promise<LoadedSegment> {
  const seg = await loadSegment(scope, name);
  if (!seg) throw notFound('Segment', name);
  return seg;
}

/** Every segment of the domain, by name, with the rules they reach (they are all in the list). */
export async function allSegments(scope: DomainScope): Promise<LoadedSegment[]> {
  const rows = await listSegments(scope.database.db, scope.domain.id);
  const reach = reachOf(rows);
  return rows.map((row) => ({ row, reach }));
}

/** Deletes a segment; refused (CONFLICT, with `referrers`) while another segment references it. */
export async function deleteSegment(scope: DomainScope, name: string): Promise<boolean> {
  if (!SEGMENT_NAME.test(name)) return false;
  return writeTransaction(scope, async (tx) => {
    const referrers = await referrersOf(tx, scope.domain.id, name);
    if (referrers.length > 0) {
      throw conflict(`Segment "${name}" is referenced by ${referrers.map((r) => `"${r}"`).join(', ')}; change or delete those first.`, { referrers });
    }
    return deleteSegmentRow(tx, scope.domain.id, name);
  });
}

/** How many profiles are in the segment now: one statement (two when a newest-object value may answer, see countRule). */
export async function segmentCount(scope: DomainScope, seg: LoadedSegment): Promise<number> {
  await prepare(scope, [seg]);
  const now = scopeNow(scope);
  const condition = compiledCondition(seg, now);
  return countRule(scope, seg.row.rule, { now, segments: seg.reach, objectTypes: ANY_TYPE, calculated: seg.calculated ?? noCalculated }, condition, [seg.row.name]);
}

/**
 * Counts a rule already compiled to `condition`: through its member set when it has one
 * (`memberSet`; for "has <built-in type> (within N days)" the definitions are read first to find a
 * newest-object value), else per profile.
 */
async function countRule(scope: DomainScope, rule: Rule, ctx: CompileContext, condition: SQL, stack: readonly string[] = []): Promise<number> {
  const db = scope.database.db;
  const newestObject = await newestObjectFor(scope, rule, ctx.segments, stack);
  const set = memberSet(rule, { ...ctx, newestObject, domainId: scope.domain.id }, stack);
  return set ? countSet(db, set) : countMatching(db, scope.domain.id, condition);
}

const profileKey = byTime<ProfileRow>((p) => p.createdAt);

/** A page of the segment's members, newest profiles first (keyset cursors like `profiles`): one statement. */
export async function segmentMembers(scope: DomainScope, seg: LoadedSegment, args: { first?: number | null; after?: string | null }): Promise<Connection<ProfileRow>> {
  const limit = pageSize(args.first);
  const cursor = decodeCursor(args.after);
  const position = cursor ? { at: cursorTime(cursor), id: cursor.id } : null;
  await prepare(scope, [seg]);
  const rows = await matchingPage(scope.database.db, scope.domain.id, compiledCondition(seg, scopeNow(scope)), limit, position);
  return toConnection(toPage(rows, limit, cursor), profileKey);
}

/** Whether each given profile is in the segment (≤ 100 ids; unknown ids are not members). */
export async function segmentMembership(scope: DomainScope, name: string, profileIds: readonly string[]): Promise<{ profileId: string; member: boolean }[]> {
  if (profileIds.length > MAX_MEMBERSHIP_IDS) throw badInput(`profileIds: at most ${MAX_MEMBERSHIP_IDS} profiles per call.`, 'profileIds');
  const bad = profileIds.find((id) => !UUID.test(id));
  if (bad !== undefined) throw badInput(`profileIds contains "${bad.slice(0, 80)}", which is not a profile id.`, 'profileIds');
  const seg = await requireSegment(scope, name);
  await prepare(scope, [seg]);
  const members = await matchingAmong(scope.database.db, scope.domain.id, compiledCondition(seg, scopeNow(scope)), profileIds);
  return profileIds.map((profileId) => ({ profileId, member: members.has(profileId) }));
}

/** Compiles every segment of a list, leaving out (and logging nothing for) one that no longer compiles. */
function compileAll(segs: readonly LoadedSegment[], now: Date): CompiledSegment[] {
  const out: CompiledSegment[] = [];
  for (const s of segs) {
    try {
      out.push({ id: s.row.id, name: s.row.name, condition: compiledCondition(s, now) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
    }
  }
  return out;
}

/** The names of the segments each given profile is in now: the domain's segments (one statement) and one evaluation. */
export async function segmentNamesOfProfiles(scope: DomainScope, profileIds: readonly string[]): Promise<Map<string, string[]>> {
  const segs = await allSegments(scope);
  await prepare(scope, segs);
  return segmentNamesAmong(scope.database.db, scope.domain.id, compileAll(segs, scopeNow(scope)), profileIds);
}

/**
 * A segment export's filter: a condition on the `profiles.id` column of the export's queries,
 * evaluated when each page is read (like every export, pages are not one snapshot).
 */
export async function segmentExportFilter(scope: DomainScope, name: string): Promise<SQL> {
  const seg = await requireSegment(scope, name);
  await prepare(scope, [seg]);
  return memberFilter(scope.domain.id, compiledCondition(seg, scopeNow(scope)), sql`${profiles.id}`);
}

// ---- live membership ---------------------------------------------------------------------------

/**
 * Re-evaluates the given segments for the given profiles (null: all of the domain's) inside the
 * caller's transaction, under the domain's cursor lock, and emits an event per change.
 */
export async function refreshMembership(
  tx: Executor,
  scope: DomainScope,
  emit: (e: NewEvent) => void,
  rows: readonly SegmentRow[],
  profileIds: readonly string[] | null,
  calculated: CalculatedOperands,
): Promise<MembershipChange[]> {
  await lockCursor(tx, scope.domain.id);
  if (rows.length === 0) return [];
  const all = await allSegmentsIn(tx, scope);
  for (const s of all) s.calculated = calculated;
  const wanted = new Set(rows.map((r) => r.id));
  const compiled = compileAll(
    all.filter((s) => wanted.has(s.row.id)),
    scopeNow(scope),
  );
  const changes = await syncMembership(tx, scope.domain.id, compiled, profileIds, scopeNow(scope));
  const names = new Map(all.map((s) => [s.row.id, s.row.name]));
  for (const c of changes) {
    emit({ type: c.entered ? 'SEGMENT_ENTERED' : 'SEGMENT_EXITED', profileId: c.profileId, objectType: SEGMENT_OBJECT, objectId: names.get(c.segmentId) ?? c.segmentId });
  }
  return changes;
}

async function allSegmentsIn(tx: Executor, scope: DomainScope): Promise<LoadedSegment[]> {
  const rows = await listSegments(tx, scope.domain.id);
  const reach = reachOf(rows);
  return rows.map((row) => ({ row, reach }));
}

/** Segments (with those reaching them) whose results change with time alone. */
export function timeDependentSegments(segs: readonly LoadedSegment[]): SegmentRow[] {
  const byName = new Map(segs.map((s) => [s.row.name, s.row]));
  const memo = new Map<string, boolean>();
  const dependsOnTime = (name: string, seen: Set<string>): boolean => {
    const hit = memo.get(name);
    if (hit !== undefined) return hit;
    const row = byName.get(name);
    if (!row || seen.has(name)) return false;
    seen.add(name);
    const v = isTimeDependent(row.rule) || row.refs.some((r) => dependsOnTime(r, seen));
    memo.set(name, v);
    return v;
  };
  return segs.filter((s) => dependsOnTime(s.row.name, new Set())).map((s) => s.row);
}

/**
 * The segment's membership changes from the event log: replayed after `after`, then live, with the
 * hub's guarantees (no gap, no duplicate at the seam). NOT_FOUND when there is no such segment.
 */
export async function subscribeSegmentChanges(scope: DomainScope, hub: EventHub, name: string, after: string | null | undefined): Promise<EventStream> {
  const from = parseEventId(after);
  await requireSegment(scope, name);
  return hub.subscribe({ domainId: scope.domain.id, after: from, types: ['SEGMENT_ENTERED', 'SEGMENT_EXITED'], objectIds: [name] });
}
