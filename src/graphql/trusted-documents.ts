import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { GraphQLSchema } from 'graphql';
import { graphql as g } from '../read/selection.js';

/**
 * Trusted documents (persisted operations): a manifest of the documents an organisation's clients
 * send, by sha256, loaded at start and validated against the schema. Clients send the hash alone
 * (`extensions.persistedQuery.sha256Hash`, as automatic persisted queries do — over POST or a
 * cacheable GET), and with PROFILEGRAPH_TRUSTED_DOCUMENTS_ONLY nothing else runs for domain keys: an
 * arbitrary document is refused on every transport before it is parsed (the admin token, the
 * operator's, still runs any document).
 *
 * Manifest formats: GraphQL Code Generator's client preset (`{ "<sha256>": "<document>" }`) and
 * Apollo's persisted query manifest (`{ "format": "apollo-persisted-query-manifest", "operations":
 * [{ "id", "body", … }] }`). Every entry's hash must be the sha256 of its text.
 */
export class TrustedDocuments {
  private constructor(
    private readonly byHash: ReadonlyMap<string, string>,
    readonly only: boolean,
  ) {}

  static none(): TrustedDocuments {
    return new TrustedDocuments(new Map(), false);
  }

  /** Reads and checks the manifest; throws an actionable Error (the process does not start) on any problem. */
  static load(file: string, schema: GraphQLSchema, only: boolean): TrustedDocuments {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`PROFILEGRAPH_TRUSTED_DOCUMENTS: cannot read ${file} as JSON (${(err as Error).message}).`);
    }
    const entries: [string, unknown][] = [];
    if (raw && typeof raw === 'object' && !Array.isArray(raw) && (raw as { format?: unknown }).format === 'apollo-persisted-query-manifest') {
      const ops = (raw as { operations?: unknown }).operations;
      if (!Array.isArray(ops)) throw new Error(`PROFILEGRAPH_TRUSTED_DOCUMENTS: ${file} has no "operations" list.`);
      for (const op of ops) entries.push([String((op as { id?: unknown })?.id), (op as { body?: unknown })?.body]);
    } else if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      entries.push(...Object.entries(raw as Record<string, unknown>));
    } else {
      throw new Error(`PROFILEGRAPH_TRUSTED_DOCUMENTS: ${file} must be an object of "<sha256>": "<document>" or an Apollo persisted query manifest.`);
    }
    const byHash = new Map<string, string>();
    for (const [hash, text] of entries) {
      if (typeof text !== 'string' || text.length === 0) throw new Error(`PROFILEGRAPH_TRUSTED_DOCUMENTS: entry ${hash} has no document text.`);
      const actual = sha256(text);
      const given = hash.replace(/^sha256:/, '').toLowerCase();
      if (given !== actual) throw new Error(`PROFILEGRAPH_TRUSTED_DOCUMENTS: entry ${hash} is not the sha256 of its document (that is ${actual}).`);
      let errors: readonly { message: string }[];
      try {
        errors = g.validate(schema, g.parse(text));
      } catch (err) {
        errors = [err as Error];
      }
      if (errors.length > 0) throw new Error(`PROFILEGRAPH_TRUSTED_DOCUMENTS: entry ${hash} does not fit this schema: ${errors[0]!.message}`);
      byHash.set(actual, text);
    }
    return new TrustedDocuments(byHash, only);
  }

  get size(): number {
    return this.byHash.size;
  }

  get(hash: string): string | undefined {
    return this.byHash.get(hash);
  }

  /** Whether a document text may run (always, unless only trusted documents may). */
  allows(text: string): boolean {
    return !this.only || this.byHash.has(sha256(text));
  }

  /**
   * Apollo's persisted-query store: the manifest first; then, unless only trusted documents may run,
   * the documents clients register by automatic persisted queries (bounded LRU).
   */
  apolloCache(): KeyValueCache<string> {
    const registered = this.only ? null : new InMemoryLRUCache<string>();
    // Apollo prefixes its persisted-query keys ("apq:<sha256>").
    const hashOf = (key: string) => key.slice(key.lastIndexOf(':') + 1);
    return {
      get: async (key) => this.byHash.get(hashOf(key)) ?? (await registered?.get(key)),
      set: async (key, value, options) => {
        if (!this.byHash.has(hashOf(key))) await registered?.set(key, value, options);
      },
      delete: async (key) => {
        await registered?.delete(key);
      },
    };
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
