// Where the server reads policies/ and the built studio: beside the checkout's root (the same from
// runtime/ under vitest and from dist/runtime/ compiled), unless the environment names another folder.
import { join, resolve } from 'node:path';
import { repoRoot } from '../base/repo-root.js';

/** policies/ (override with POLICIES_DIR). */
export function policiesDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.POLICIES_DIR ? resolve(env.POLICIES_DIR) : join(repoRoot(), 'policies');
}

/** The built studio (override with STUDIO_DIR). */
export function studioDistDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.STUDIO_DIR ? resolve(env.STUDIO_DIR) : join(repoRoot(), 'studio', 'dist');
}
