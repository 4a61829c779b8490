/** The profile_keys source of an ingested object's keys: its type and UNIQUE value. */
export const objectKeySource = (type: string, uniqueKey: string): string => `obj:${type}:${uniqueKey}`;
