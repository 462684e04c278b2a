// What the API-key endpoints answer with, built from stored records.
import type { ApiKey, ApiKeyRecord } from '../../store/api-keys.js';

export const apiKeyView = (record: ApiKeyRecord): ApiKey => record.apiKey;

export function apiKeyAggregateView(record: ApiKeyRecord, tokensCount: number) {
  return { apiKey: record.apiKey, createdAt: record.createdAt, lastModifiedAt: record.lastModifiedAt, tokensCount };
}

/** The audit trail's view of a key (no tokens, nothing secret). */
export const apiKeyAudit = (record: ApiKeyRecord) => ({ ...record.apiKey });
