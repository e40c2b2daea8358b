/**
 * `npm run fake-llm`: the fake LLM server for manual tests, on FAKE_LLM_PORT (default 8089)
 * and FAKE_LLM_HOST (default 127.0.0.1). Script it with the control endpoints, e.g.
 *   curl -XPOST localhost:8089/_fake/enqueue -d '{"status":429,"retryAfter":"2"}'
 * or per request with the header `x-fake-llm: {"latencyMs":3000}`.
 */
import { startFakeLlmServer } from './fake-llm-server';

async function main(): Promise<void> {
  const port = Number(process.env.FAKE_LLM_PORT ?? 8089);
  const host = process.env.FAKE_LLM_HOST ?? '127.0.0.1';
  const server = await startFakeLlmServer({ port, host });

  process.stdout.write(
    [
      `fake-llm listening on ${server.url}`,
      `  OpenAI (chat completions, responses) / OpenAI-compatible baseURL: ${server.openaiBaseUrl}`,
      `  Anthropic baseURL: ${server.anthropicBaseUrl}`,
      `  control: POST ${server.url}/_fake/enqueue (FakeReply or array), POST /_fake/default,`,
      `           GET /_fake/requests, POST /_fake/reset; per request: header x-fake-llm: <FakeReply>`,
      '',
    ].join('\n'),
  );

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void server.close().then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`fake-llm: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
