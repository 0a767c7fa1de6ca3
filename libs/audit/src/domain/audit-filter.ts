/** How an `action` filter matches: the action itself, or every action under a `<noun>.` prefix. */
export type ActionMatch = { kind: 'exact'; action: string } | { kind: 'prefix'; likePattern: string };

/** `tenant.created`, or a prefix ending in a dot (`webhook_endpoint.`). */
export const ACTION_FILTER = /^[a-z][a-z0-9_]*\.([a-z][a-z0-9_]*)?$/;

/** A filter ending in `.` is a prefix; its LIKE pattern escapes `_`, which actions are full of. */
export function actionMatch(filter: string): ActionMatch {
  if (!filter.endsWith('.')) return { kind: 'exact', action: filter };
  return { kind: 'prefix', likePattern: `${filter.replace(/[\\%_]/g, (char) => `\\${char}`)}%` };
}
