// A deep link to a policy (#/p/<id>/…) needs the editor's chunk (Monaco, ≈ 0.7 MB brotli) before
// anything of the editor can show. The app asks for it as soon as its own chunk has run
// (studio/src/editor/load.ts), but that is after the index chunk has arrived and been evaluated:
// a few hundred milliseconds in which the network and the browser's compile threads sit idle.
// The server cannot tell a deep link (the route is in the hash), so index.html carries a small
// inline script that, on such a link only, adds <link rel="modulepreload"> for the editor's chunk
// and its static imports and <link rel="preload" as="style"> for its stylesheet, while the HTML
// is still being parsed. The later import() then finds the module fetched (and compiled), and
// Vite's preload helper finds the stylesheet in the memory cache. Other routes load nothing more.
import type { Plugin } from 'vite';

/** The route test, as studio/src/shell/router.ts parses a policy route: `#/p/<id>[/<tab>]`. */
export const DEEP_LINK = /^#\/?p\/[^/]/;

export function deepLinkPreload(entry: string): Plugin {
  return {
    name: 'studio-deep-link-preload',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        const chunk = Object.values(bundle).find((c) => c.type === 'chunk' && c.isDynamicEntry && c.facadeModuleId?.endsWith(entry));
        if (!chunk || chunk.type !== 'chunk') throw new Error(`deepLinkPreload: no dynamic chunk for ${entry} in the bundle`);
        // the entry chunk (index-*.js) is already in the page; other static imports are preloaded
        const entries = new Set(Object.values(bundle).filter((c) => c.type === 'chunk' && c.isEntry).map((c) => c.fileName));
        const scripts = [chunk.fileName, ...chunk.imports.filter((f) => !entries.has(f))].map((f) => '/' + f);
        const styles = [...(chunk.viteMetadata?.importedCss ?? [])].map((f) => '/' + f);
        const code = `if(${DEEP_LINK}.test(location.hash)){`
          + `for(const h of ${JSON.stringify(scripts)}){const l=document.createElement('link');l.rel='modulepreload';l.crossOrigin='';l.href=h;document.head.appendChild(l)}`
          + `for(const h of ${JSON.stringify(styles)}){const l=document.createElement('link');l.rel='preload';l.as='style';l.crossOrigin='';l.href=h;document.head.appendChild(l)}}`;
        // before the entry's own tags: an inline script after a stylesheet waits for that stylesheet
        const at = html.indexOf('<script type="module"');
        if (at < 0) throw new Error('deepLinkPreload: no module script in index.html');
        return `${html.slice(0, at)}<script>${code}</script>\n    ${html.slice(at)}`;
      },
    },
  };
}
