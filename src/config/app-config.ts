import type { Env } from './env.schema';

/** The typed configuration every module receives; built once from the validated environment. */
export interface AppConfig {
  readonly version: string;
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly jsonBodyLimit: number;
    readonly uploadBodyLimit: number;
  };
  readonly logLevel: Env['LOG_LEVEL'];
  readonly telemetry: boolean;
  readonly shutdown: { readonly drainDelayMs: number; readonly timeoutMs: number };
  readonly dataDir: string;
  readonly database: {
    /** Unset: the embedded PostgreSQL is started. */
    readonly url: string | undefined;
    readonly embeddedPort: number;
    readonly pool: {
      readonly size: number;
      readonly overflow: number;
      readonly acquireTimeoutMs: number;
      readonly recycleSeconds: number;
    };
    readonly queryTimeoutMs: number;
    readonly commandTimeoutMs: number;
    readonly statementTimeoutMs: number;
  };
  readonly debates: {
    readonly maxConcurrent: number;
    readonly maxQueued: number;
    readonly maxConcurrentProposals: number;
    readonly maxConcurrentCritiques: number;
    readonly maxConcurrentRevisions: number;
    readonly maxConcurrentStreaming: number;
    readonly maxConcurrentBranches: number;
    readonly maxAgents: number;
    readonly defaultRounds: number;
    readonly maxRounds: number;
    readonly timeoutMs: number;
    readonly agentTimeoutMs: number;
    readonly heartbeatMs: number;
    readonly leaseMs: number;
  };
  readonly rateLimit: {
    readonly anonymousPerMinute: number;
    readonly authenticatedPerMinute: number;
    readonly premiumPerMinute: number;
    readonly ipPerMinute: number;
    readonly burstMultiplier: number;
    readonly debatesPerMinute: number;
    readonly authFailuresPerMinute: number;
    readonly uploadsPerMinute: number;
    readonly uploadsPerHour: number;
    readonly trustedProxies: readonly string[];
  };
  readonly auth: { readonly allowAnonymous: boolean; readonly adminToken: string | undefined };
  readonly providers: {
    readonly rpm: Readonly<Record<ProviderBudgetName, number>>;
    /** Bucket capacity of an RPM budget as a share of the RPM. */
    readonly burstShare: number;
    /** Providers with credentials; a provider absent here is not configured. */
    readonly credentials: Readonly<Partial<Record<ProviderBudgetName, ProviderCredentials>>>;
    /** Model of the `local` preset on the OpenAI-compatible server. */
    readonly openaiCompatibleModel: string;
    readonly interRequestDelayMs: number;
    readonly openrouterInterRequestDelayMs: number;
    readonly proposalStaggerMs: number;
  };
  readonly demo: {
    readonly latencyMs: { readonly min: number; readonly max: number };
    readonly failureRate: number;
    readonly seed: number;
  };
  readonly websocket: {
    readonly maxMessageBytes: number;
    readonly heartbeatMs: number;
    readonly pingTimeoutMs: number;
    readonly maxConnections: number;
    readonly streamBatchSize: number;
    readonly streamDrainIntervalMs: number;
    readonly userEventQueueSize: number;
  };
  readonly redis: {
    readonly url: string | undefined;
    readonly maxConnections: number;
    readonly keyTtlSeconds: number;
    readonly keyPrefix: string;
  };
  readonly slo: {
    readonly availabilityTarget: number;
    readonly latencyP99TargetMs: number;
    readonly debateSuccessTarget: number;
  };
  readonly caches: {
    readonly defaultTtlSeconds: number;
    readonly leaderboardTtlSeconds: number;
    /** Rendered debate and list JSON per node, dropped by the debates' events. */
    readonly debateViews: { readonly maxAgeMs: number; readonly maxBytes: number };
    readonly similarity: CacheSettings;
    readonly consensus: CacheSettings;
    readonly dissent: CacheSettings;
    readonly embeddings: CacheSettings;
  };
}

export interface CacheSettings {
  readonly ttlSeconds: number;
  readonly maxEntries: number;
}

export type ProviderBudgetName =
  | 'anthropic'
  | 'openai'
  | 'grok'
  | 'openrouter'
  | 'mistral'
  | 'deepseek'
  | 'gemini'
  | 'openai-compatible';

export interface ProviderCredentials {
  /** Undefined only for an OpenAI-compatible server that takes no key. */
  readonly apiKey: string | undefined;
  /** Undefined: the provider's public endpoint. */
  readonly baseUrl: string | undefined;
}

/** A provider is configured when it has a key (the OpenAI-compatible one: a base URL). */
function credentialsOf(env: Env): Partial<Record<ProviderBudgetName, ProviderCredentials>> {
  const pairs: [ProviderBudgetName, string | undefined, string | undefined][] = [
    ['anthropic', env.ANTHROPIC_API_KEY, env.ANTHROPIC_BASE_URL],
    ['openai', env.OPENAI_API_KEY, env.OPENAI_BASE_URL],
    ['gemini', env.GEMINI_API_KEY, env.GEMINI_BASE_URL],
    ['mistral', env.MISTRAL_API_KEY, env.MISTRAL_BASE_URL],
    ['deepseek', env.DEEPSEEK_API_KEY, env.DEEPSEEK_BASE_URL],
    ['grok', env.XAI_API_KEY, env.XAI_BASE_URL],
    ['openrouter', env.OPENROUTER_API_KEY, env.OPENROUTER_BASE_URL],
  ];
  const credentials: Partial<Record<ProviderBudgetName, ProviderCredentials>> = {};
  for (const [name, apiKey, baseUrl] of pairs) {
    if (apiKey !== undefined) credentials[name] = { apiKey, baseUrl };
  }
  if (env.OPENAI_COMPATIBLE_BASE_URL !== undefined) {
    credentials['openai-compatible'] = {
      apiKey: env.OPENAI_COMPATIBLE_API_KEY,
      baseUrl: env.OPENAI_COMPATIBLE_BASE_URL,
    };
  }
  return credentials;
}

const seconds = (value: number): number => Math.round(value * 1000);

export function toAppConfig(env: Env, version: string): AppConfig {
  return {
    version,
    http: {
      host: env.HOST,
      port: env.PORT,
      jsonBodyLimit: env.MAX_JSON_CONTENT_LENGTH,
      uploadBodyLimit: env.MAX_CONTENT_LENGTH,
    },
    logLevel: env.LOG_LEVEL,
    telemetry: env.ARAGORA_ENABLE_TELEMETRY,
    shutdown: {
      drainDelayMs: seconds(env.ARAGORA_SHUTDOWN_DRAIN_DELAY),
      timeoutMs: seconds(env.ARAGORA_SHUTDOWN_TIMEOUT),
    },
    dataDir: env.ARAGORA_DATA_DIR,
    database: {
      url: env.DATABASE_URL,
      embeddedPort: env.ARAGORA_EMBEDDED_PG_PORT,
      pool: {
        size: env.ARAGORA_DB_POOL_SIZE,
        overflow: env.ARAGORA_DB_POOL_OVERFLOW,
        acquireTimeoutMs: seconds(env.ARAGORA_DB_POOL_TIMEOUT),
        recycleSeconds: env.ARAGORA_DB_POOL_RECYCLE,
      },
      queryTimeoutMs: seconds(env.ARAGORA_DB_TIMEOUT),
      commandTimeoutMs: seconds(env.ARAGORA_DB_COMMAND_TIMEOUT),
      statementTimeoutMs: seconds(env.ARAGORA_DB_STATEMENT_TIMEOUT),
    },
    debates: {
      maxConcurrent: env.ARAGORA_MAX_CONCURRENT_DEBATES,
      maxQueued: env.ARAGORA_MAX_QUEUED_DEBATES,
      maxConcurrentProposals: env.ARAGORA_MAX_CONCURRENT_PROPOSALS,
      maxConcurrentCritiques: env.ARAGORA_MAX_CONCURRENT_CRITIQUES,
      maxConcurrentRevisions: env.ARAGORA_MAX_CONCURRENT_REVISIONS,
      maxConcurrentStreaming: env.ARAGORA_MAX_CONCURRENT_STREAMING,
      maxConcurrentBranches: env.ARAGORA_MAX_CONCURRENT_BRANCHES,
      maxAgents: env.ARAGORA_MAX_AGENTS_PER_DEBATE,
      defaultRounds: Math.min(env.ARAGORA_DEFAULT_ROUNDS, env.ARAGORA_MAX_ROUNDS),
      maxRounds: env.ARAGORA_MAX_ROUNDS,
      timeoutMs: seconds(env.ARAGORA_DEBATE_TIMEOUT),
      agentTimeoutMs: seconds(env.ARAGORA_AGENT_TIMEOUT),
      heartbeatMs: seconds(env.ARAGORA_HEARTBEAT_INTERVAL),
      leaseMs: seconds(env.ARAGORA_DEBATE_LEASE_SECONDS),
    },
    rateLimit: {
      anonymousPerMinute: env.ARAGORA_RATE_LIMIT_ANONYMOUS,
      authenticatedPerMinute: env.ARAGORA_RATE_LIMIT,
      premiumPerMinute: env.ARAGORA_RATE_LIMIT_PREMIUM,
      ipPerMinute: env.ARAGORA_IP_RATE_LIMIT,
      burstMultiplier: env.ARAGORA_BURST_MULTIPLIER,
      debatesPerMinute: env.ARAGORA_RATE_LIMIT_DEBATES,
      authFailuresPerMinute: env.ARAGORA_AUTH_FAILURE_LIMIT,
      uploadsPerMinute: env.MAX_UPLOADS_PER_MINUTE,
      uploadsPerHour: env.MAX_UPLOADS_PER_HOUR,
      trustedProxies: env.ARAGORA_TRUSTED_PROXIES,
    },
    auth: { allowAnonymous: env.ARAGORA_ALLOW_ANONYMOUS, adminToken: env.ARAGORA_ADMIN_TOKEN },
    providers: {
      rpm: {
        anthropic: env.ARAGORA_PROVIDER_ANTHROPIC_RPM,
        openai: env.ARAGORA_PROVIDER_OPENAI_RPM,
        grok: env.ARAGORA_PROVIDER_GROK_RPM,
        openrouter: env.ARAGORA_PROVIDER_OPENROUTER_RPM,
        mistral: env.ARAGORA_PROVIDER_MISTRAL_RPM,
        deepseek: env.ARAGORA_PROVIDER_DEEPSEEK_RPM,
        gemini: env.ARAGORA_PROVIDER_GEMINI_RPM,
        'openai-compatible': env.ARAGORA_PROVIDER_OPENAI_COMPATIBLE_RPM,
      },
      burstShare: env.ARAGORA_PROVIDER_BURST,
      credentials: credentialsOf(env),
      openaiCompatibleModel: env.OPENAI_COMPATIBLE_MODEL,
      interRequestDelayMs: seconds(env.ARAGORA_INTER_REQUEST_DELAY),
      openrouterInterRequestDelayMs: seconds(env.ARAGORA_OPENROUTER_INTER_REQUEST_DELAY),
      proposalStaggerMs: seconds(env.ARAGORA_PROPOSAL_STAGGER_SECONDS),
    },
    demo: {
      latencyMs: env.ARAGORA_DEMO_LATENCY_MS,
      failureRate: env.ARAGORA_DEMO_FAILURE_RATE,
      seed: env.ARAGORA_DEMO_SEED,
    },
    websocket: {
      maxMessageBytes: env.ARAGORA_WS_MAX_MESSAGE_SIZE,
      heartbeatMs: seconds(env.ARAGORA_WS_HEARTBEAT),
      pingTimeoutMs: seconds(env.ARAGORA_WS_PING_TIMEOUT),
      maxConnections: env.ARAGORA_WS_MAX_CONNECTIONS,
      streamBatchSize: env.ARAGORA_STREAM_BATCH_SIZE,
      streamDrainIntervalMs: env.ARAGORA_STREAM_DRAIN_INTERVAL_MS,
      userEventQueueSize: env.ARAGORA_USER_EVENT_QUEUE_SIZE,
    },
    redis: {
      url: env.REDIS_URL,
      maxConnections: env.ARAGORA_REDIS_MAX_CONNECTIONS,
      keyTtlSeconds: env.ARAGORA_REDIS_TTL,
      keyPrefix: env.ARAGORA_REDIS_KEY_PREFIX,
    },
    slo: {
      availabilityTarget: env.SLO_AVAILABILITY_TARGET,
      latencyP99TargetMs: env.SLO_LATENCY_P99_TARGET_MS,
      debateSuccessTarget: env.SLO_DEBATE_SUCCESS_TARGET,
    },
    caches: {
      defaultTtlSeconds: env.ARAGORA_CACHE_TTL,
      leaderboardTtlSeconds: env.ARAGORA_LEADERBOARD_CACHE_TTL,
      debateViews: {
        maxAgeMs: seconds(env.ARAGORA_DEBATE_VIEW_CACHE_TTL),
        maxBytes: env.ARAGORA_DEBATE_VIEW_CACHE_MB * 1024 * 1024,
      },
      similarity: {
        ttlSeconds: env.ARAGORA_CACHE_SIMILARITY_TTL,
        maxEntries: env.ARAGORA_CACHE_SIMILARITY_SIZE,
      },
      consensus: {
        ttlSeconds: env.ARAGORA_CACHE_CONSENSUS_TTL,
        maxEntries: env.ARAGORA_CACHE_CONSENSUS_SIZE,
      },
      dissent: {
        ttlSeconds: env.ARAGORA_CACHE_DISSENT_TTL,
        maxEntries: env.ARAGORA_CACHE_DISSENT_SIZE,
      },
      embeddings: {
        ttlSeconds: env.CACHE_TTL_EMBEDDINGS,
        maxEntries: env.ARAGORA_EMBEDDING_CACHE_SIZE,
      },
    },
  };
}
