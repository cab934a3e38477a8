// The order of a JSON member on PostgreSQL, as SQLite orders json_extract(col, '$.name'). Shared by the
// driver's SqlDialect (the ORDER BY keys) and the schema (resources_workspace_size_idx is built on the same
// expressions, so a page sorted by size walks it): both must spell them exactly alike.

/** Characters of a text member that order it: an index entry must stay well under a B-tree page's third. */
export const TEXT_KEY_CHARS = 200;

/**
 * The ORDER BY keys of member `name` of the JSON text in `column`: a rank by JSON type (0 missing or null, 1
 * number or boolean, 2 text, object or array), the number (booleans as 0 and 1), the text (byte-wise, as
 * SQLite compares it; its first TEXT_KEY_CHARS characters). Within one rank the other keys are all null or
 * all set, so where nulls sort never matters and the keys take either direction as they are.
 * PostgreSQL's JSON parser refuses the escape \u0000 (text cannot hold it) and a lone surrogate escape (one
 * JSON.stringify writes for a lone surrogate), anywhere in the document, which would fail the sort and, since
 * an index is built on these keys, the write of such a resource: each is read as U+FFFD first. The text stays
 * valid JSON (an escaped backslash followed by "u0000" becomes one followed by "ufffd").
 */
export function pgJsonOrderKeys(column: string, name: string): [rank: string, number: string, text: string] {
  const doc = `regexp_replace(${column}, '\\\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})', '\\\\ufffd', 'g')::jsonb`;
  const type = `jsonb_typeof(${doc} -> '${name}')`;
  return [
    `CASE ${type} WHEN 'number' THEN 1 WHEN 'boolean' THEN 1 WHEN 'string' THEN 2 WHEN 'object' THEN 2 WHEN 'array' THEN 2 ELSE 0 END`,
    `CASE ${type} WHEN 'number' THEN (${doc} ->> '${name}')::numeric WHEN 'boolean' THEN CASE WHEN (${doc} ->> '${name}')::boolean THEN 1 ELSE 0 END END`,
    `CASE WHEN ${type} IN ('string', 'object', 'array') THEN left(${doc} ->> '${name}', ${TEXT_KEY_CHARS}) COLLATE "C" END`,
  ];
}
