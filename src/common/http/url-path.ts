/**
 * The longest path parameter (one segment matched by `:name`) the router accepts; longer ones are
 * answered 414 before routing.
 */
export const MAX_PATH_PARAM_LENGTH = 100;

/** A request URL's path, without its query: what routes match and problems name as `instance`. */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}
