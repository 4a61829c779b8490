import { badInput } from '../../errors.js';
import type { DomainScope } from '../scope.js';
import { FREQUENT_CALLER_ATTRIBUTE, type InsightSource } from './insights.repository.js';

/**
 * Rule-based insights on a profile (the explorer's Insights panel): each is a kind, a severity and
 * the facts behind it (stable keys the page translates, JSON values). No external service.
 */
export interface Insight {
  kind: 'FREQUENT_CALLER' | 'OPEN_HIGH_PRIORITY_CASE' | 'NO_RECENT_CONTACT' | 'VIP' | 'PROBABLE_DUPLICATE';
  severity: 'INFO' | 'WARNING' | 'CRITICAL';
  facts: { key: string; value: string }[];
}

/** A probable duplicate of a profile, as the identity module sees it. */
export interface DuplicateHint {
  /** The other profile's id (same domain). */
  profileId: string;
  /** 0–1. */
  confidence: number;
  /** The fields that matched (e.g. "emailAddress"). */
  fields: readonly string[];
}

/**
 * Where PROBABLE_DUPLICATE comes from: the identity module's match suggestions for these profiles
 * of the scope's domain (one call per page level, never per profile), by profile id; a profile
 * with no suggestion may be left out. The composition root (src/app.ts) passes it; none = the rule
 * is off.
 */
export type DuplicateHintProvider = (scope: DomainScope, profileIds: readonly string[]) => Promise<Map<string, readonly DuplicateHint[]>>;

/** Thresholds of the rules. Defaults documented in schema/insights.graphql. */
export interface InsightSettings {
  /** FREQUENT_CALLER: more than this many contacts … */
  frequentContacts: number;
  /** … in this many days (ACCP's default frequentCaller: > 5 in 30 days). */
  frequentWindowDays: number;
  /** NO_RECENT_CONTACT: the last contact is older than this many days. */
  noContactDays: number;
  /** VIP: orders (not cancelled) in one currency total at least this much. */
  vipOrderTotal: number;
}

export const DEFAULT_INSIGHT_SETTINGS: InsightSettings = { frequentContacts: 5, frequentWindowDays: 30, noContactDays: 90, vipOrderTotal: 1000 };

const DAY = 86_400_000;

/** The settings of one read: the field's arguments over the defaults, bounded. */
export function insightSettings(args: { noContactDays?: number | null; vipOrderTotal?: number | null }): InsightSettings {
  const noContactDays = args.noContactDays ?? DEFAULT_INSIGHT_SETTINGS.noContactDays;
  const vipOrderTotal = args.vipOrderTotal ?? DEFAULT_INSIGHT_SETTINGS.vipOrderTotal;
  if (!Number.isInteger(noContactDays) || noContactDays < 1 || noContactDays > 3650) throw badInput('noContactDays must be a whole number of days from 1 to 3650.', 'noContactDays');
  if (!Number.isFinite(vipOrderTotal) || vipOrderTotal < 0 || vipOrderTotal > 1e12) throw badInput('vipOrderTotal must be from 0 to 1e12.', 'vipOrderTotal');
  return { ...DEFAULT_INSIGHT_SETTINGS, noContactDays, vipOrderTotal };
}

const fact = (key: string, value: unknown) => ({ key, value: JSON.stringify(value) });

/**
 * FREQUENT_CALLER's window and threshold: the domain's `frequentCaller` calculated attribute's when
 * it is "COUNT of contacts in the last N days GREATER_THAN M" without conditions (the default one,
 * or the domain's own numbers), so the panel agrees with the attribute; else the defaults.
 */
function frequentRule(source: InsightSource, settings: InsightSettings): { windowDays: number; threshold: number; rule: string } {
  const fc = source.fc;
  const lastDays = fc?.window?.lastDays;
  const threshold = Number(fc?.threshold?.value);
  if (fc && fc.statistic === 'COUNT' && lastDays && (fc.conditions ?? []).length === 0 && fc.threshold?.operator === 'GREATER_THAN' && Number.isFinite(threshold)) {
    return { windowDays: lastDays, threshold, rule: `calculated:${FREQUENT_CALLER_ATTRIBUTE}` };
  }
  return { windowDays: settings.frequentWindowDays, threshold: settings.frequentContacts, rule: 'default' };
}

/** The rules, in a fixed order (severity is the page's to sort by). Pure: facts in, insights out. */
export function insightsOf(source: InsightSource, now: Date, settings: InsightSettings, duplicates: readonly DuplicateHint[] = []): Insight[] {
  const out: Insight[] = [];
  const at = now.getTime();

  const frequent = frequentRule(source, settings);
  const since = at - frequent.windowDays * DAY;
  const recent = source.c.filter((t) => t > since && t <= at).length;
  if (recent > frequent.threshold) {
    out.push({
      kind: 'FREQUENT_CALLER',
      severity: 'INFO',
      facts: [
        // at most RECENT_CONTACTS are read: "100" means "100 or more"
        fact('contactsInWindow', recent),
        fact('windowDays', frequent.windowDays),
        fact('threshold', frequent.threshold),
        // "calculated:frequentCaller" (the domain's attribute's numbers) or "default"
        fact('rule', frequent.rule),
      ],
    });
  }

  if (source.kn > 0) {
    const newest = source.k[0]!;
    const urgent = source.k.some((k) => k.p === 'URGENT');
    out.push({
      kind: 'OPEN_HIGH_PRIORITY_CASE',
      severity: urgent ? 'CRITICAL' : 'WARNING',
      facts: [
        fact('openHighPriorityCases', source.kn),
        fact('caseId', newest.id),
        fact('title', newest.t),
        fact('priority', newest.p),
        fact('status', newest.s),
        fact('openedAt', new Date(newest.at).toISOString()),
      ],
    });
  }

  const last = source.c.find((t) => t <= at);
  if (last !== undefined && at - last > settings.noContactDays * DAY) {
    out.push({
      kind: 'NO_RECENT_CONTACT',
      severity: 'INFO',
      facts: [fact('lastContactAt', new Date(last).toISOString()), fact('daysSinceLastContact', Math.floor((at - last) / DAY)), fact('thresholdDays', settings.noContactDays)],
    });
  }

  const best = source.o
    .filter((o) => o.sum !== null)
    .map((o) => ({ ...o, total: Number(o.sum) }))
    .sort((a, b) => b.total - a.total)[0];
  if (best && best.total >= settings.vipOrderTotal) {
    out.push({
      kind: 'VIP',
      severity: 'INFO',
      facts: [fact('totalOrderValue', best.sum), fact('currency', best.cur), fact('orderCount', best.n), fact('threshold', settings.vipOrderTotal)],
    });
  }

  if (duplicates.length > 0) {
    const sorted = [...duplicates].sort((a, b) => b.confidence - a.confidence || a.profileId.localeCompare(b.profileId));
    out.push({
      kind: 'PROBABLE_DUPLICATE',
      severity: 'WARNING',
      facts: [
        fact('candidateProfileIds', sorted.slice(0, 5).map((d) => d.profileId)),
        fact('confidence', sorted[0]!.confidence),
        fact('matchedFields', sorted[0]!.fields),
      ],
    });
  }
  return out;
}
