import { badInput } from '../errors';

export interface PageInfo {
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface Page<T> {
  nodes: T[];
  pageInfo: PageInfo;
}

export const MAX_PAGE_SIZE = 200;

/** Spec section 4: `first` is 1 to 200. */
export function pageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be an integer from 1 to ${MAX_PAGE_SIZE}`, 'first');
  }
  return first;
}

/** Cursors are opaque to clients: base64url of the row id. */
export function encodeCursor(id: string): string {
  return Buffer.from(`c:${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const decoded = /^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString() : '';
  const match = /^c:(\d{1,19})$/.exec(decoded);
  if (!match) throw badInput('after is not a cursor from this API', 'after');
  return match[1];
}

/** A page from `first + 1` rows read in page order: the extra row only says that another page follows. */
export function pageOf<T extends { id: string }>(rows: T[], first: number): Page<T> {
  const nodes = rows.slice(0, first);
  return {
    nodes,
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1].id) : null,
    },
  };
}

/** Descriptions of the paging arguments every connection field takes. */
export const FIRST_DESCRIPTION = 'Page size, 1-200.';
export const AFTER_DESCRIPTION = 'endCursor of the previous page; omit for the first page.';
