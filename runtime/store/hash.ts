// The content hash of a published version: sha256 over source, a NUL byte, and scenarios.
import { createHash } from 'node:crypto';

export function contentHash(source: string, scenarios: string): string {
  return createHash('sha256').update(source, 'utf8').update('\0').update(scenarios, 'utf8').digest('hex');
}
