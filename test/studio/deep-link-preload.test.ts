// index.html's deep-link preload (studio/deepLinkPreload.ts): the inline script asks for the
// editor's chunk, its other static imports and its stylesheet on a policy link only, and its
// route test agrees with the router's.
import { describe, expect, it } from 'vitest';
import { DEEP_LINK, deepLinkPreload } from '../../studio/deepLinkPreload';
import { parseRoute } from '../../studio/src/shell/router';

const html = `<!doctype html>
<html><head>
    <title>t</title>
    <script type="module" crossorigin src="/assets/index-AAA.js"></script>
    <link rel="stylesheet" crossorigin href="/assets/index-BBB.css">
</head><body><div id="root"></div></body></html>`;

const bundle = {
  'assets/index-AAA.js': { type: 'chunk', fileName: 'assets/index-AAA.js', isEntry: true, isDynamicEntry: false, facadeModuleId: '/r/studio/src/main.tsx', imports: [] },
  'assets/Workspace-CCC.js': {
    type: 'chunk', fileName: 'assets/Workspace-CCC.js', isEntry: false, isDynamicEntry: true, facadeModuleId: '/r/studio/src/editor/Workspace.tsx',
    imports: ['assets/index-AAA.js', 'assets/HouseholdFields-DDD.js'], viteMetadata: { importedCss: new Set(['assets/Workspace-EEE.css']), importedAssets: new Set() },
  },
  'assets/HouseholdFields-DDD.js': { type: 'chunk', fileName: 'assets/HouseholdFields-DDD.js', isEntry: false, isDynamicEntry: false, facadeModuleId: null, imports: ['assets/index-AAA.js'] },
};

function transform(): string {
  const hook = deepLinkPreload('/src/editor/Workspace.tsx').transformIndexHtml as { handler(html: string, ctx: unknown): string };
  return hook.handler(html, { bundle });
}

/** Runs the inline script with a given hash; the links it adds to <head>. */
function linksFor(out: string, hash: string): { rel: string; as?: string; href: string; crossOrigin: string }[] {
  const code = /<script>([^<]*)<\/script>/.exec(out)![1]!;
  const added: { rel: string; as?: string; href: string; crossOrigin: string }[] = [];
  const document = { createElement: () => ({}) as never, head: { appendChild: (l: never) => added.push(l) } };
  new Function('location', 'document', code)({ hash }, document);
  return added;
}

describe('deep-link preload in index.html', () => {
  it('puts its script before the entry script (a script after a stylesheet waits for it)', () => {
    const out = transform();
    expect(out.indexOf('<script>')).toBeGreaterThan(-1);
    expect(out.indexOf('<script>')).toBeLessThan(out.indexOf('<script type="module"'));
  });

  it('preloads the editor chunk, its other imports and its stylesheet on a policy link only', () => {
    const out = transform();
    expect(linksFor(out, '#/p/dawukou-dibao/editor')).toEqual([
      { rel: 'modulepreload', crossOrigin: '', href: '/assets/Workspace-CCC.js' },
      { rel: 'modulepreload', crossOrigin: '', href: '/assets/HouseholdFields-DDD.js' },
      { rel: 'preload', as: 'style', crossOrigin: '', href: '/assets/Workspace-EEE.css' },
    ]);
    expect(linksFor(out, '#/')).toEqual([]);
    expect(linksFor(out, '')).toEqual([]);
    expect(linksFor(out, '#/entitlements')).toEqual([]);
  });

  it('tests a hash as the router reads it', () => {
    for (const hash of ['#/p/dawukou-dibao/editor', '#/p/a', '#p/a/versions', '#/p/a/impact', '#/', '', '#/users', '#/entitlements', '#/monitor', '#/p', '#/p/']) {
      expect(DEEP_LINK.test(hash), hash).toBe(parseRoute(hash).screen === 'policy');
    }
  });

  it('fails the build when the editor chunk is not in the bundle', () => {
    const hook = deepLinkPreload('/src/editor/Nothing.tsx').transformIndexHtml as { handler(html: string, ctx: unknown): string };
    expect(() => hook.handler(html, { bundle })).toThrow(/no dynamic chunk/);
  });
});
