// The OpenAPI 3.1 document, generated from the operation declarations and the same schemas
// that validate requests (the household schema comes from the dsl), and a plain HTML page
// rendering it at /api/docs (no CDN, no script).
import type { Operation } from './operation.js';
import { PERMISSIONS, type Action } from './auth.js';
import { requestSchemas, responseSchemas } from './schemas.js';
import { NDJSON } from './routes/ndjson.js';

type Obj = Record<string, unknown>;

/** Moves a JSON Schema's $defs into components and rewrites its #/$defs/ references. */
function hoist(schema: Obj, prefix: string, components: Obj): Obj {
  const defs = (schema.$defs ?? schema.definitions ?? {}) as Record<string, Obj>;
  const rename = (name: string) => `${prefix}_${name}`;
  const rewrite = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rewrite);
    if (v && typeof v === 'object') {
      const out: Obj = {};
      for (const [k, x] of Object.entries(v as Obj)) {
        if (k === '$defs' || k === 'definitions' || k === '$schema' || k === '$id') continue;
        if (k === '$ref' && typeof x === 'string') {
          const m = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(x);
          out[k] = m ? `#/components/schemas/${rename(m[1]!)}` : x === '#' ? `#/components/schemas/${prefix}` : x;
        } else out[k] = rewrite(x);
      }
      return out;
    }
    return v;
  };
  for (const [name, def] of Object.entries(defs)) components[rename(name)] = rewrite(def);
  return rewrite(schema) as Obj;
}

function rolesOf(action: Action | null): string {
  if (action === null) return 'public';
  return ['admin', ...PERMISSIONS[action]].join(', ');
}

/**
 * Types every published policy's outputs (`outputs` maps Outputs_<policyId> to its schema): a
 * programme result is its base plus exactly one policy's outputs, chosen by `policy`; an
 * evaluation's outputs are one of them.
 */
function typedOutputs(schemas: Obj, outputs: Record<string, Obj>): void {
  const names = Object.keys(outputs);
  if (!names.length) return;
  Object.assign(schemas, outputs);
  const refOf = (n: string) => ({ $ref: `#/components/schemas/${n}` });
  schemas.ProgrammeResult = {
    allOf: [refOf('ProgrammeResultBase')],
    oneOf: names.map((n) => ({ type: 'object', required: ['policy'], properties: { policy: { const: n.replace(/^Outputs_/, '') }, outputs: refOf(n) } })),
  };
  const evaluate = schemas.EvaluateResponse as Obj & { properties: Obj };
  schemas.EvaluateResponse = { ...evaluate, properties: { ...evaluate.properties, outputs: { description: (evaluate.properties.outputs as Obj).description, anyOf: names.map(refOf) } } };
}

export function buildOpenApi(ops: Operation[], householdSchema: object, version: string, outputs: Record<string, Obj> = {}): Obj {
  const schemas: Obj = { ...responseSchemas, ...requestSchemas };
  typedOutputs(schemas, outputs);
  schemas.Household = {
    ...hoist(householdSchema as Obj, 'Household', schemas),
    // Unknown keys are refused (400): a policy that declares fields of its own reads those too,
    // and its exact household is one GET away.
    description: 'The common household contract. Unknown keys are refused (400, naming the nearest known field). '
      + 'A policy may declare more fields: GET /api/policies/{policyId}/schema gives the exact household a version reads.',
  };
  const paths: Record<string, Obj> = {};
  for (const op of ops) {
    const params: Obj[] = [];
    for (const m of op.path.matchAll(/\{(\w+)\}/g)) {
      params.push({ name: m[1], in: 'path', required: true, schema: { type: 'string' } });
    }
    for (const [name, schema] of Object.entries(op.query ?? {})) params.push({ name, in: 'query', required: false, schema });
    for (const [name, schema] of Object.entries(op.ndjson?.query ?? {})) params.push({ name, in: 'query', required: false, description: 'JSON Lines (application/x-ndjson) only', schema });
    for (const [name, h] of Object.entries(op.headers ?? {})) params.push({ name, in: 'header', required: !!h.required, description: h.description, schema: h.schema });
    const bodyName = op.body ? Object.entries(requestSchemas).find(([, s]) => s === op.body)?.[0] : undefined;
    const operation: Obj = {
      operationId: `${op.method}${op.path.replace(/[{}]/g, '').split(/[/-]/).map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join('')}`,
      tags: [op.tag],
      summary: op.summary,
      description: [op.description, `Roles: ${rolesOf(op.action)}.`].filter(Boolean).join('\n\n'),
      ...(params.length ? { parameters: params } : {}),
      ...(op.body ? {
        requestBody: {
          required: !!op.bodyRequired,
          content: {
            'application/json': { schema: bodyName ? { $ref: `#/components/schemas/${bodyName}` } : op.body },
            ...(op.ndjson ? { [NDJSON]: { schema: { type: 'string', description: 'JSON Lines: one household (a JSON object) per line' } } } : {}),
          },
        },
      } : {}),
      responses: Object.fromEntries(Object.entries(op.responses).map(([code, r]) => [code, {
        description: r.description,
        ...(r.schema ? { content: {
          'application/json': { schema: r.schema },
          ...(op.ndjson && code === '200' ? { [NDJSON]: { schema: { type: 'string', description: 'JSON Lines: a header line, one line per household in order, a trailer line' } } } : {}),
        } } : {}),
      }])),
      ...(op.action === null ? { security: [] } : {}),
    };
    (paths[op.path] ??= {})[op.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '民政社会救助政策配置工作室 API / Social-assistance policy studio API',
      version,
      description: 'Errors are always { error: { code, message, details: [{ path, message }] } }. '
        + 'Authenticate with "Authorization: Bearer <key>" (keys and roles from API_KEYS; without API_KEYS the server is in local open mode).',
    },
    // A relative url ("/", the document's own origin) is what clients should use, but the 3.1
    // schema types a server url as an absolute URI; the local default of `npm start` is named,
    // and a client generated from the document is pointed at its own server instead.
    servers: [{ url: 'http://127.0.0.1:3000', description: 'npm start on this machine (PORT 3000); other deployments: the origin this document was fetched from' }],
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));

/** A readable one-page rendering of the document. */
export function renderDocsHtml(doc: Obj): string {
  const paths = doc.paths as Record<string, Record<string, Obj>>;
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = (op.tags as string[])[0]!;
      const params = ((op.parameters ?? []) as Obj[]).map((p) => `<li><code>${esc(p.name)}</code> (${esc(p.in)}${p.required ? ', required' : ''})${p.description ? ` — ${esc(p.description)}` : ''}</li>`).join('');
      const body = op.requestBody ? (op.requestBody as { content: Record<string, { schema: Obj }> }).content['application/json']!.schema : undefined;
      const bodyRef = body && typeof body.$ref === 'string' ? (body.$ref as string).split('/').pop()! : undefined;
      const bodySchema = bodyRef ? (doc.components as { schemas: Obj }).schemas[bodyRef] : body;
      const responses = Object.entries(op.responses as Record<string, Obj>).map(([code, r]) => `<li><b>${esc(code)}</b> ${esc(r.description)}</li>`).join('');
      const html = `<section class="op" id="${esc(op.operationId)}">
<h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>
<p>${esc(op.summary)}</p>${op.description ? `<p class="d">${esc(op.description).replace(/\n\n/g, '<br>')}</p>` : ''}
${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ''}
${bodySchema ? `<h4>Body${bodyRef ? ` (${esc(bodyRef)})` : ''}</h4><pre>${esc(JSON.stringify(bodySchema, null, 2))}</pre>` : ''}
<h4>Responses</h4><ul>${responses}</ul></section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const info = doc.info as Obj;
  const toc = [...byTag.keys()].map((t) => `<a href="#tag-${esc(t)}">${esc(t)}</a>`).join(' · ');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(info.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
code,pre{font-family:ui-monospace,monospace}pre{background:#f5f5f5;padding:.6em;overflow:auto;max-height:24em;font-size:12px}
.op{border-top:1px solid #ddd;padding:.4em 0}.m{display:inline-block;min-width:4em;text-align:center;border-radius:3px;color:#fff;font-size:13px;padding:0 .3em}
.get{background:#2b7bb9}.post{background:#3a9a4b}.put{background:#c47f17}.delete{background:#b93b2b}.d{color:#555}h2{margin-top:2em}</style></head>
<body><h1>${esc(info.title)}</h1><p>${esc(info.description)}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${esc(doc.openapi)}). Sections: ${toc}</p>
${[...byTag.entries()].map(([t, ops]) => `<h2 id="tag-${esc(t)}">${esc(t)}</h2>${ops.join('\n')}`).join('\n')}
</body></html>`;
}
