import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigurationDoc } from './config-docs';
import { envNames } from './env.schema';

describe('docs/configuration.md', () => {
  const committed = readFileSync(join(__dirname, '..', '..', 'docs', 'configuration.md'), 'utf8');

  it('is what `npm run docs:config` generates from the schema (not stale)', () => {
    expect(committed).toBe(renderConfigurationDoc());
  });

  it('documents every variable', () => {
    for (const name of envNames) expect(committed).toContain(`| \`${name}\``);
  });
});
