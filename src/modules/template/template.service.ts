/**
 * Industry templates: describe them, and apply one to a domain — its calculated attributes, then
 * its segments, each installed only when the domain has none of that name (an existing one is
 * kept as it is and reported as existing). Applying twice changes nothing the second time.
 *
 * Not one transaction: each definition and segment is put by its own service (a definition may
 * backfill by a job, a segment records its members with events). What can be foreseen is checked
 * before anything is written — the domain's limits, and an existing calculated attribute of a
 * template's name whose value type differs (the template's segments would compare it wrongly) —
 * so those failures write nothing; anything else leaves what was installed so far in place, and
 * applying again installs the rest (installation is by name, so it is safely re-runnable).
 */
import { AppError, ErrorCode, conflict } from '../../errors.js';
import { installCalculatedTemplate, listCalculatedAttributes, MAX_DEFINITIONS, type Backfill } from '../calculated/calculated.service.js';
import { checkDefinition } from '../calculated/expression.js';
import type { DomainScope } from '../scope.js';
import { allSegments, MAX_SEGMENTS, putSegment } from '../segment/segment.service.js';
import { INDUSTRIES, TEMPLATES, type Industry, type IndustryTemplateSpec, type TemplateCustomAttribute } from './template.catalog.js';

export type { Industry, IndustryTemplateSpec };

export interface TemplateResult {
  template: Industry;
  calculatedAttributesInstalled: string[];
  calculatedAttributesExisting: string[];
  segmentsInstalled: string[];
  segmentsExisting: string[];
  customAttributes: TemplateCustomAttribute[];
  /** False when everything already existed (nothing was written). */
  changed: boolean;
}

/** Every template's contents, for a UI to show before applying. */
export function industryTemplates(): IndustryTemplateSpec[] {
  return INDUSTRIES.map((i) => TEMPLATES[i]);
}

export function industryTemplate(industry: Industry): IndustryTemplateSpec {
  return TEMPLATES[industry];
}

/** The value type each of the template's calculated attributes has (NUMBER, BOOLEAN …). */
const templateTypes = (t: IndustryTemplateSpec): Map<string, string> =>
  new Map(t.calculatedAttributes.map((d) => [d.name, checkDefinition(d.input).resultType]));

export async function applyTemplate(scope: DomainScope, industry: Industry, backfill: Backfill | null): Promise<TemplateResult> {
  const t = TEMPLATES[industry];
  // preflight: nothing is written when one of these fails
  const defs = await listCalculatedAttributes(scope);
  const haveDefs = new Map(defs.map((d) => [d.name, d]));
  const types = templateTypes(t);
  for (const [name, type] of types) {
    const have = haveDefs.get(name);
    if (have && have.spec.resultType !== type) {
      throw conflict(`The domain's calculated attribute "${name}" is ${have.spec.resultType}; the ${industry} template's is ${type}. Rename or delete it, then apply the template again.`, { name });
    }
  }
  const missingDefs = t.calculatedAttributes.filter((d) => !haveDefs.has(d.name)).length;
  if (defs.length + missingDefs > MAX_DEFINITIONS) {
    throw new AppError(ErrorCode.LIMIT_EXCEEDED, `The ${industry} template adds ${missingDefs} calculated attributes; a domain has at most ${MAX_DEFINITIONS} (it has ${defs.length}).`, { limit: MAX_DEFINITIONS });
  }
  const segs = new Set((await allSegments(scope)).map((s) => s.row.name));
  const missingSegs = t.segments.filter((s) => !segs.has(s.name));
  if (segs.size + missingSegs.length > MAX_SEGMENTS) {
    throw new AppError(ErrorCode.LIMIT_EXCEEDED, `The ${industry} template adds ${missingSegs.length} segments; a domain has at most ${MAX_SEGMENTS} (it has ${segs.size}).`, { limit: MAX_SEGMENTS });
  }

  // calculated attributes first: the segments read them
  const calcInstalled = await installCalculatedTemplate(scope, industry, backfill);
  const segsInstalled: string[] = [];
  for (const s of missingSegs) {
    await putSegment(scope, { name: s.name, description: s.description, text: s.text });
    segsInstalled.push(s.name);
  }
  const calcSet = new Set(calcInstalled);
  return {
    template: industry,
    calculatedAttributesInstalled: calcInstalled,
    calculatedAttributesExisting: t.calculatedAttributes.map((d) => d.name).filter((n) => !calcSet.has(n)),
    segmentsInstalled: segsInstalled,
    segmentsExisting: t.segments.map((s) => s.name).filter((n) => segs.has(n)),
    customAttributes: [...t.customAttributes],
    changed: calcInstalled.length + segsInstalled.length > 0,
  };
}
