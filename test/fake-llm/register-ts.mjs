// Lets Node 24 run test/fake-llm/*.ts unbuilt (type stripping), e.g.
//   node --import ./test/fake-llm/register-ts.mjs test/fake-llm/main.ts
// The .ts files are written for the repo's tsc/jest (module nodenext in a "type": "commonjs"
// package, extensionless relative imports), which plain Node cannot load: it would treat them as
// CommonJS and not find './sse'. These in-thread hooks, scoped to this folder, resolve
// extensionless relative imports to the .ts file and load the files as ES modules.
import { existsSync, readFileSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

const folder = new URL('./', import.meta.url).href;
const ownTs = (url) => url.startsWith(folder) && url.endsWith('.ts');

if (typeof module.registerHooks !== 'function') {
  throw new Error(
    `fake-llm needs Node >= 22.15 (this is ${process.version}); use npm run fake-llm`,
  );
}

module.registerHooks({
  resolve(specifier, context, nextResolve) {
    if (
      specifier.startsWith('.') &&
      context.parentURL?.startsWith(folder) &&
      !/\.[cm]?[jt]s$/.test(specifier)
    ) {
      const candidate = new URL(`${specifier}.ts`, context.parentURL);
      if (existsSync(fileURLToPath(candidate))) return nextResolve(candidate.href, context);
    }
    return nextResolve(specifier, context);
  },
  load(url, context, nextLoad) {
    if (!ownTs(url)) return nextLoad(url, context);
    const loaded = nextLoad(url, context);
    const source = loaded.source ?? readFileSync(fileURLToPath(url));
    return { ...loaded, format: 'module-typescript', source, shortCircuit: true };
  },
});
