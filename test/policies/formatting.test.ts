// Every shipped policy and the schema module are in canonical form, so `policy fmt` on save
// never rewrites what the studio opens.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { format } from '../../dsl/index.js';

const files = ['policies/common/household.policy', 'examples/dibao/policy.policy'];
for (const id of readdirSync('policies')) {
  if (id === 'common' || !existsSync(`policies/${id}`) || id.includes('.')) continue;
  for (const v of readdirSync(`policies/${id}`)) if (existsSync(`policies/${id}/${v}/policy.policy`)) files.push(`policies/${id}/${v}/policy.policy`);
}

describe('canonical formatting', () => {
  for (const f of files) {
    it(f, () => {
      const text = readFileSync(f, 'utf8');
      expect(format(text)).toBe(text);
    });
  }
});
