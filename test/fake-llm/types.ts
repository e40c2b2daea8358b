/** One scripted answer of the fake LLM server (every field optional). */
export interface FakeReply {
  /** assistant text (default: a short deterministic answer echoing the last user message) */
  text?: string;
  /** structured output: returned as the JSON text / tool input the SDK expects; wins over `text` */
  json?: unknown;
  /** reported token usage (default: estimated from the prompt and the answer) */
  usage?: { inputTokens: number; outputTokens: number };
  /** SSE text deltas when streaming (default: word by word); the streamed text is their concatenation */
  chunks?: string[];
  /** delay before the response starts */
  latencyMs?: number;
  /** delay between SSE events */
  chunkDelayMs?: number;
  /** >= 400: an error body in the provider's real error format instead of an answer */
  status?: number;
  /** Retry-After header value (seconds or HTTP-date), e.g. with status 429/503 */
  retryAfter?: string;
  /** accept the request and never answer (until the client aborts or the server closes) */
  hang?: boolean;
  /** 200 with a body that is not valid JSON (or an SSE stream with a broken event when streaming) */
  malformed?: boolean;
}

export type FakeApi = 'openai-chat' | 'openai-responses' | 'anthropic';

export interface RecordedRequest {
  id: number;
  api: FakeApi;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  stream: boolean;
  startedAt: number;
  endedAt?: number;
  /** the client closed the connection before the response was complete */
  aborted: boolean;
}

export interface FakeLlmServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** `${url}/v1` (createOpenAI, createOpenAICompatible, …) */
  openaiBaseUrl: string;
  /** `${url}/v1` (createAnthropic) */
  anthropicBaseUrl: string;
  /** scripted replies, consumed FIFO by the next requests */
  enqueue(...replies: FakeReply[]): void;
  /** used when the queue is empty */
  setDefault(reply: FakeReply): void;
  requests(): RecordedRequest[];
  /** requests currently open */
  inFlight(): number;
  /** highest number of concurrently open requests seen since start or reset */
  maxInFlight(): number;
  /** clears queue, default, recordings and counters */
  reset(): void;
  /** stops listening and ends every open connection, hanging ones included */
  close(): Promise<void>;
}

/** A reply resolved against one request: what the wire formats render. */
export interface ResolvedReply {
  id: number;
  model: string;
  /** the full answer text (the JSON text for structured output) */
  text: string;
  /** the answer is structured output (`FakeReply.json`) */
  isJson: boolean;
  /** the structured value itself, when isJson */
  json: unknown;
  /** streaming deltas; their concatenation is `text` */
  chunks: string[];
  usage: { inputTokens: number; outputTokens: number };
  /** unix seconds */
  created: number;
}
