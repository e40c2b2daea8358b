export default async function globalTeardown(): Promise<void> {
  await globalThis.__ARAGORA_TEST_PG__?.stop();
}
