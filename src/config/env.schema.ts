import { z } from 'zod';
import {
  apiKey,
  baseUrl,
  bool,
  int,
  latencyRange,
  LOG_LEVELS,
  meta,
  num,
  postgresUrl,
  proxyList,
  redisUrl,
  str,
  type VarMeta,
} from './env-vars';

/**
 * Every environment variable Aragora reads, with its default and allowed range.
 * Defaults and ranges come from the reference system's performance and scaling
 * guides; `docs/configuration.md` is generated from this file.
 */

export const envSchema = z.object({
  // Server
  HOST: str('Server', '0.0.0.0', 'Interface the HTTP/WebSocket server binds to.'),
  PORT: int('Server', 8080, 0, 65535, 'HTTP/WebSocket port (0 picks a free port).'),
  ARAGORA_DATA_DIR: str('Server', './data', 'Embedded data (PostgreSQL cluster, lock file).'),
  LOG_LEVEL: meta(z.enum(LOG_LEVELS).default('info'), {
    group: 'Server',
    description: 'Structured (JSON) log level.',
    allowed: LOG_LEVELS.join(' | '),
    default: 'info',
  }),
  ARAGORA_ENABLE_TELEMETRY: bool('Server', true, 'Expose Prometheus metrics at /metrics.'),
  ARAGORA_SHUTDOWN_DRAIN_DELAY: num(
    'Server',
    0,
    0,
    60,
    'Seconds /readyz answers 503 before the listener closes on SIGTERM (lets load balancers notice).',
  ),
  ARAGORA_SHUTDOWN_TIMEOUT: num(
    'Server',
    8,
    1,
    300,
    'Seconds a graceful shutdown may take before the process exits anyway.',
  ),
  MAX_JSON_CONTENT_LENGTH: int(
    'Server',
    10 * 1024 * 1024,
    1024,
    100 * 1024 * 1024,
    'Largest JSON request body in bytes (larger: 413).',
  ),
  MAX_CONTENT_LENGTH: int(
    'Server',
    100 * 1024 * 1024,
    1024,
    1024 * 1024 * 1024,
    'Largest upload (multipart) body in bytes.',
  ),

  // Database
  DATABASE_URL: postgresUrl,
  ARAGORA_EMBEDDED_PG_PORT: int(
    'Database',
    0,
    0,
    65535,
    'Port of the embedded PostgreSQL (0 picks a free port).',
  ),
  ARAGORA_DB_POOL_SIZE: int('Database', 20, 1, 100, 'Connections kept open in the pool.'),
  ARAGORA_DB_POOL_OVERFLOW: int(
    'Database',
    15,
    0,
    100,
    'Extra connections opened under load and closed when idle (max = size + overflow).',
  ),
  ARAGORA_DB_POOL_TIMEOUT: int(
    'Database',
    30,
    1,
    300,
    'Seconds a request waits for a free connection.',
  ),
  ARAGORA_DB_POOL_RECYCLE: int(
    'Database',
    1800,
    60,
    7200,
    'Seconds after which a connection is closed and replaced.',
  ),
  ARAGORA_DB_TIMEOUT: int('Timeouts', 30, 1, 300, 'Client-side timeout of one query, seconds.'),
  ARAGORA_DB_COMMAND_TIMEOUT: int(
    'Timeouts',
    60,
    1,
    600,
    'Timeout of maintenance commands (migrations, start-up checks), seconds.',
  ),
  ARAGORA_DB_STATEMENT_TIMEOUT: int(
    'Timeouts',
    60,
    1,
    600,
    'Server-side statement_timeout of every session, seconds.',
  ),

  // Debates
  ARAGORA_MAX_CONCURRENT_DEBATES: int(
    'Debates',
    10,
    1,
    100,
    'Debates running at once on one node; more wait in the queue.',
  ),
  ARAGORA_MAX_QUEUED_DEBATES: int(
    'Debates',
    100,
    0,
    10000,
    'Debates waiting per node; past it, create answers 503 with Retry-After.',
  ),
  ARAGORA_MAX_CONCURRENT_PROPOSALS: int('Debates', 5, 1, 50, 'Proposal calls at once per debate.'),
  ARAGORA_MAX_CONCURRENT_CRITIQUES: int(
    'Debates',
    10,
    1,
    100,
    'Critique calls at once per debate.',
  ),
  ARAGORA_MAX_CONCURRENT_REVISIONS: int('Debates', 5, 1, 50, 'Revision calls at once per debate.'),
  ARAGORA_MAX_CONCURRENT_STREAMING: int('Debates', 3, 1, 20, 'Streaming agent calls at once.'),
  ARAGORA_MAX_CONCURRENT_BRANCHES: int('Debates', 3, 1, 20, 'Forks of one debate running at once.'),
  ARAGORA_MAX_AGENTS_PER_DEBATE: int(
    'Debates',
    10,
    2,
    50,
    'Agents in one debate (more than 20 costs performance).',
  ),
  ARAGORA_DEFAULT_ROUNDS: int('Debates', 9, 1, 12, 'Rounds when a create request names none.'),
  ARAGORA_MAX_ROUNDS: int('Debates', 12, 1, 12, 'Most rounds a create request may ask for.'),

  // Timeouts
  ARAGORA_DEBATE_TIMEOUT: int('Timeouts', 900, 30, 7200, 'Seconds a debate may run (timed_out).'),
  ARAGORA_AGENT_TIMEOUT: int('Timeouts', 240, 30, 1200, 'Seconds one agent call may take.'),
  ARAGORA_HEARTBEAT_INTERVAL: int(
    'Timeouts',
    15,
    5,
    120,
    'Seconds between heartbeat events of a running debate.',
  ),
  ARAGORA_DEBATE_LEASE_SECONDS: int(
    'Timeouts',
    30,
    2,
    600,
    'Lease a node holds on a running debate (renewed every third of it); once expired another node resumes the debate.',
  ),

  // Rate limiting
  ARAGORA_RATE_LIMIT: int('Rate limiting', 60, 1, 10000, 'Requests/min per authenticated key.'),
  ARAGORA_RATE_LIMIT_ANONYMOUS: int(
    'Rate limiting',
    30,
    1,
    10000,
    'Requests/min per anonymous IP.',
  ),
  ARAGORA_RATE_LIMIT_PREMIUM: int('Rate limiting', 300, 1, 100000, 'Requests/min per premium key.'),
  ARAGORA_IP_RATE_LIMIT: int(
    'Rate limiting',
    120,
    1,
    10000,
    'Requests/min per client IP across anonymous and authenticated keys.',
  ),
  ARAGORA_BURST_MULTIPLIER: num(
    'Rate limiting',
    2.0,
    1.0,
    10.0,
    'Bucket capacity = limit × multiplier.',
  ),
  ARAGORA_RATE_LIMIT_DEBATES: int('Rate limiting', 30, 1, 10000, 'Debate creations/min per key.'),
  ARAGORA_AUTH_FAILURE_LIMIT: int(
    'Rate limiting',
    10,
    1,
    1000,
    'Failed authentications/min per IP.',
  ),
  MAX_UPLOADS_PER_MINUTE: int('Rate limiting', 5, 1, 1000, 'Document uploads/min per key.'),
  MAX_UPLOADS_PER_HOUR: int('Rate limiting', 30, 1, 10000, 'Document uploads/hour per key.'),
  ARAGORA_TRUSTED_PROXIES: proxyList,

  // Authentication
  ARAGORA_ALLOW_ANONYMOUS: bool(
    'Authentication',
    true,
    'Serve requests without an API key as the `public` tenant (member role).',
  ),
  ARAGORA_ADMIN_TOKEN: z
    .string()
    .min(16)
    .optional()
    .meta({
      group: 'Authentication',
      description: 'Platform operator token for /api/v1/admin. Unset: the operator API is off.',
      allowed: 'at least 16 characters',
      secret: true,
    } satisfies VarMeta),

  // Providers
  ARAGORA_PROVIDER_ANTHROPIC_RPM: int('Providers', 1000, 1, 100000, 'Anthropic requests/min.'),
  ARAGORA_PROVIDER_OPENAI_RPM: int('Providers', 500, 1, 100000, 'OpenAI requests/min.'),
  ARAGORA_PROVIDER_GROK_RPM: int('Providers', 500, 1, 100000, 'Grok (xAI) requests/min.'),
  ARAGORA_PROVIDER_OPENROUTER_RPM: int('Providers', 500, 1, 100000, 'OpenRouter requests/min.'),
  ARAGORA_PROVIDER_MISTRAL_RPM: int('Providers', 300, 1, 100000, 'Mistral requests/min.'),
  ARAGORA_PROVIDER_DEEPSEEK_RPM: int('Providers', 200, 1, 100000, 'DeepSeek requests/min.'),
  ARAGORA_PROVIDER_GEMINI_RPM: int('Providers', 60, 1, 100000, 'Gemini requests/min.'),
  ARAGORA_INTER_REQUEST_DELAY: num(
    'Providers',
    1.5,
    0,
    60,
    'Seconds between consecutive calls to one provider (stagger).',
  ),
  ARAGORA_OPENROUTER_INTER_REQUEST_DELAY: num(
    'Providers',
    2.0,
    0,
    60,
    'Stagger for OpenRouter, seconds.',
  ),
  ARAGORA_PROPOSAL_STAGGER_SECONDS: num(
    'Providers',
    0,
    0,
    60,
    'Delay between proposal calls of one debate (legacy; 0 = off).',
  ),

  ANTHROPIC_API_KEY: apiKey('Anthropic'),
  ANTHROPIC_BASE_URL: baseUrl('Anthropic'),
  OPENAI_API_KEY: apiKey('OpenAI'),
  OPENAI_BASE_URL: baseUrl('OpenAI'),
  GEMINI_API_KEY: apiKey('Gemini', ['GOOGLE_GENERATIVE_AI_API_KEY']),
  GEMINI_BASE_URL: baseUrl('Gemini'),
  MISTRAL_API_KEY: apiKey('Mistral'),
  MISTRAL_BASE_URL: baseUrl('Mistral'),
  DEEPSEEK_API_KEY: apiKey('DeepSeek'),
  DEEPSEEK_BASE_URL: baseUrl('DeepSeek'),
  XAI_API_KEY: apiKey('Grok (xAI)', ['GROK_API_KEY']),
  XAI_BASE_URL: baseUrl('Grok (xAI)'),
  OPENROUTER_API_KEY: apiKey('OpenRouter'),
  OPENROUTER_BASE_URL: baseUrl('OpenRouter'),
  OPENAI_COMPATIBLE_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({
      group: 'Providers',
      description:
        'Base URL of an OpenAI-compatible server (Ollama, vLLM, LM Studio). Set: the `openai-compatible` provider is available.',
      allowed: 'http:// or https:// URL',
    } satisfies VarMeta),
  OPENAI_COMPATIBLE_API_KEY: z
    .string()
    .min(1)
    .optional()
    .meta({
      group: 'Providers',
      description: 'API key sent to the OpenAI-compatible server, if it wants one.',
      allowed: 'non-empty string',
      secret: true,
    } satisfies VarMeta),
  OPENAI_COMPATIBLE_MODEL: str(
    'Providers',
    'llama3.1',
    'Model of the `local` preset agent on the OpenAI-compatible server.',
  ),
  ARAGORA_PROVIDER_OPENAI_COMPATIBLE_RPM: int(
    'Providers',
    600,
    1,
    100000,
    'OpenAI-compatible server requests/min.',
  ),
  ARAGORA_PROVIDER_BURST: num(
    'Providers',
    0.1,
    0.01,
    1,
    'Burst of a provider RPM budget as a share of the RPM (bucket capacity = RPM × share, at least 1).',
  ),

  // Demo provider
  ARAGORA_DEMO_LATENCY_MS: latencyRange,
  ARAGORA_DEMO_FAILURE_RATE: num('Demo provider', 0, 0, 1, 'Share of demo calls that fail.'),
  ARAGORA_DEMO_SEED: int(
    'Demo provider',
    42,
    0,
    2 ** 31 - 1,
    'Seed of the demo provider (latency and failure draws).',
  ),

  // WebSocket
  ARAGORA_WS_MAX_MESSAGE_SIZE: int(
    'WebSocket',
    64 * 1024,
    1024,
    10 * 1024 * 1024,
    'Largest frame in bytes (larger: close 1009).',
  ),
  ARAGORA_WS_HEARTBEAT: int('WebSocket', 30, 5, 300, 'Seconds between pings to each socket.'),
  ARAGORA_WS_PING_TIMEOUT: int('WebSocket', 10, 1, 300, 'Seconds a pong may take.'),
  ARAGORA_WS_MAX_CONNECTIONS: int('WebSocket', 1000, 1, 100000, 'Sockets per node.'),
  ARAGORA_STREAM_BATCH_SIZE: int('WebSocket', 10, 1, 1000, 'Token deltas coalesced per frame.'),
  ARAGORA_STREAM_DRAIN_INTERVAL_MS: int(
    'WebSocket',
    5,
    1,
    1000,
    'Longest wait before a partial token batch is sent, ms.',
  ),
  ARAGORA_USER_EVENT_QUEUE_SIZE: int(
    'WebSocket',
    10000,
    100,
    100000,
    'Events buffered per user before the consumer is cut.',
  ),

  // Redis
  REDIS_URL: redisUrl,
  ARAGORA_REDIS_MAX_CONNECTIONS: int('Redis', 50, 1, 1000, 'Connections per node.'),
  ARAGORA_REDIS_TTL: int('Redis', 120, 1, 86400, 'TTL of rate-limit keys, seconds.'),
  ARAGORA_REDIS_KEY_PREFIX: str('Redis', 'aragora:ratelimit:', 'Prefix of rate-limit keys.'),

  // SLO
  SLO_AVAILABILITY_TARGET: num('SLO', 0.999, 0.5, 0.99999, 'Availability objective (fraction).'),
  SLO_LATENCY_P99_TARGET_MS: int('SLO', 500, 1, 60000, 'p99 latency objective, ms.'),
  SLO_DEBATE_SUCCESS_TARGET: num('SLO', 0.95, 0.5, 0.9999, 'Debate success objective (fraction).'),

  // Caches
  ARAGORA_CACHE_TTL: int('Caches', 300, 1, 86400, 'Default cache TTL, seconds.'),
  ARAGORA_LEADERBOARD_CACHE_TTL: int('Caches', 60, 1, 3600, 'Leaderboard cache TTL, seconds.'),
  ARAGORA_DEBATE_VIEW_CACHE_TTL: int(
    'Caches',
    10,
    1,
    3600,
    "Longest a node serves a debate's (or a first list page's) cached JSON; the debate's own events drop it sooner, so this only bounds staleness when one is missed. Seconds.",
  ),
  ARAGORA_DEBATE_VIEW_CACHE_MB: int(
    'Caches',
    32,
    1,
    4096,
    'Memory for cached debate and list JSON per node (least recently used dropped first), MB.',
  ),
  ARAGORA_CACHE_SIMILARITY_TTL: int('Caches', 300, 1, 86400, 'Similarity cache TTL, seconds.'),
  ARAGORA_CACHE_SIMILARITY_SIZE: int('Caches', 1000, 1, 1000000, 'Similarity cache entries.'),
  ARAGORA_CACHE_CONSENSUS_TTL: int('Caches', 300, 1, 86400, 'Consensus query cache TTL, seconds.'),
  ARAGORA_CACHE_CONSENSUS_SIZE: int('Caches', 2000, 1, 1000000, 'Consensus query cache entries.'),
  ARAGORA_CACHE_DISSENT_TTL: int('Caches', 300, 1, 86400, 'Dissent query cache TTL, seconds.'),
  ARAGORA_CACHE_DISSENT_SIZE: int('Caches', 2000, 1, 1000000, 'Dissent query cache entries.'),
  CACHE_TTL_EMBEDDINGS: meta(z.coerce.number().int().min(1).max(604800).default(86400), {
    group: 'Caches',
    description: 'Embedding cache TTL, seconds.',
    allowed: 'integer 1–604800',
    default: '86400',
    aliases: ['ARAGORA_EMBEDDING_CACHE_TTL'],
  }),
  ARAGORA_EMBEDDING_CACHE_SIZE: int('Caches', 1000, 1, 1000000, 'Embedding cache entries.'),
});

export type { VarGroup, VarMeta } from './env-vars';

export type Env = z.infer<typeof envSchema>;
export type EnvName = keyof typeof envSchema.shape;

export function varMeta(name: EnvName): VarMeta {
  return envSchema.shape[name].meta() as unknown as VarMeta;
}

export const envNames = Object.keys(envSchema.shape) as EnvName[];
