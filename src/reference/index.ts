import raw from './reference.json';

/**
 * The project's own copy of `shared/data/reference.json`: seed data for assets, tiers, brackets, bands,
 * eligibility and the activation quiz. It is data, not code: the database holds the live catalogue.
 */
export type ReferenceJson = typeof raw;
export const referenceData: ReferenceJson = raw;
