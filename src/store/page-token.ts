/**
 * Opaque page tokens shared by every store adapter: base64url JSON of the sort key of the last item
 * returned. Keyset pagination, so listing cost does not grow with how deep the page is.
 */
import { invalidArgument } from '../errors/gateway-error.js';
import type { Page } from './store.js';

export interface PageCursor {
  readonly createdAt: string;
  readonly id: string;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export function clampPageSize(pageSize: number | undefined): number {
  if (pageSize === undefined || !Number.isFinite(pageSize) || pageSize < 1) return DEFAULT_PAGE_SIZE;
  return Math.min(Math.floor(pageSize), MAX_PAGE_SIZE);
}

export function encodePageToken(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

export function decodePageToken(token: string | undefined): PageCursor | undefined {
  if (token === undefined || token === '') return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string'
    ) {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw invalidArgument('pageToken', 'not a page token issued by this gateway');
}

/**
 * Builds a page from up to `pageSize + 1` items fetched in page order: the extra item only tells that
 * another page exists, and the token points after the last item kept.
 */
export function pageOf<T extends PageCursor>(fetched: readonly T[], pageSize: number): Page<T> {
  if (fetched.length <= pageSize) return { items: fetched, nextPageToken: '' };
  const items = fetched.slice(0, pageSize);
  const last = items[items.length - 1];
  return { items, nextPageToken: last === undefined ? '' : encodePageToken(last) };
}
