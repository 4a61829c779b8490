import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { ValidationRule } from 'graphql';
import type { Config } from '../config.js';

/**
 * Query guards applied at validation, before any SQL runs: depth, static cost and alias count.
 * Page sizes are capped separately (pagination.ts). Limits are exposed in the messages so a client
 * knows what to change.
 */
export function guardRules(config: Pick<Config, 'maxDepth' | 'maxCost' | 'maxAliases'>): ValidationRule[] {
  return [
    maxDepthRule({ n: config.maxDepth, exposeLimits: true, flattenFragments: true }),
    costLimitRule({ maxCost: config.maxCost, exposeLimits: true }),
    maxAliasesRule({ n: config.maxAliases, exposeLimits: true }),
  ] as unknown as ValidationRule[];
}
