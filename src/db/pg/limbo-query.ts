// The "one page plus total in one query" shape of limbo's list queries (counterpart of ../sqlite-limbo-query.ts).
export { splitPage, type PageRow } from '../sqlite-limbo-query.js';

/**
 * One statement for a page and the total: the count always yields one row, the page is LEFT JOINed to it
 * (so an empty page still reports the total). `filtered` selects the candidate rows; `order` is over its columns.
 */
export const pageQuery = (filtered: string, order: string) =>
  `WITH f AS (${filtered}),
   p AS (SELECT f.*, row_number() OVER (ORDER BY ${order}) AS rn FROM f ORDER BY rn LIMIT ? OFFSET ?)
   SELECT c.total, p.* FROM (SELECT count(*) AS total FROM f) c LEFT JOIN p ON true ORDER BY p.rn`;
