/** A request URL's path, without its query: what routes match and problems name as `instance`. */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}
