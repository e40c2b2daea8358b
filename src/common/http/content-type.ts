/** Fastify's content type for a JSON reply; what the routes that render their own JSON send. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
