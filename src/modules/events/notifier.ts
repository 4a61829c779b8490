/**
 * Told after a transaction that wrote events has committed. The subscription layer implements it
 * (in-process delivery on PGlite; on Postgres the NOTIFY from appendEvents reaches every instance).
 */
export interface EventNotifier {
  committed(domainId: string, lastEventId: number): void;
}

export const noopNotifier: EventNotifier = { committed() {} };
