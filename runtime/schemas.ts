// Request and response schemas (JSON Schema). Request schemas validate bodies at the edge;
// all of them appear in /api/openapi.json. The household schema itself comes from the dsl.
import type { JsonSchema } from './validate.js';
import { POLICY_ID_PATTERN } from './services/policies.js';
import { MAX_BATCH } from './services/evaluation.js';
import { MAX_ENTITLEMENTS_BATCH } from './services/entitlements.js';
import { MAX_GENERATED_HOUSEHOLDS, MAX_INLINE_HOUSEHOLDS } from './services/simulations.js';
import { presetNames } from '../simulation/index.js';

export const HOUSEHOLD_REF = { $ref: '#/components/schemas/Household' } as const;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export const date: JsonSchema = { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' };
const text = (maxLength: number, description?: string): JsonSchema => ({ type: 'string', maxLength, ...(description ? { description } : {}) });
const positiveInt: JsonSchema = { type: 'integer', minimum: 1 };

export const MAX_SOURCE = 1_000_000;

const RECORD: JsonSchema = { type: 'boolean', default: true, description: 'false: a dry run, not recorded as a decision (tester and admin only; any other role: 403 auth.forbidden)' };

export const requestSchemas = {
  EvaluateRequest: {
    type: 'object',
    required: ['household'],
    additionalProperties: false,
    properties: {
      household: HOUSEHOLD_REF,
      as_of: { ...date, description: 'evaluation date (default: today, China time)' },
      version: { ...positiveInt, description: 'pin a published version' },
      trace: { type: 'boolean', default: true, description: 'false: answer without `trace` (outputs only; the explanation is not built). Same as the query parameter trace=false' },
      record: RECORD,
    },
  },
  BatchRequest: {
    type: 'object',
    required: ['households'],
    additionalProperties: false,
    properties: {
      households: { type: 'array', items: HOUSEHOLD_REF, maxItems: MAX_BATCH, description: `at most ${MAX_BATCH} (more: 413)` },
      as_of: date,
      version: positiveInt,
      record: RECORD,
    },
  },
  CreatePolicyRequest: {
    type: 'object',
    required: ['id'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', pattern: POLICY_ID_PATTERN, description: 'ASCII slug used in URLs' },
      source: text(MAX_SOURCE, 'initial policy source (default: a template)'),
      scenarios: text(MAX_SOURCE, 'initial scenarios.yaml'),
    },
  },
  DraftUpdate: {
    type: 'object',
    additionalProperties: false,
    description: 'source and/or scenarios; the body GET …/draft returned is accepted: its read-only fields are ignored when they match the stored draft, 400 draft.read_only when they do not',
    properties: {
      source: text(MAX_SOURCE), scenarios: text(MAX_SOURCE),
      policy: { type: 'string', maxLength: 200, description: 'read-only' },
      revision: { type: 'integer', description: 'read-only' },
      updated_at: { type: 'string', maxLength: 100, description: 'read-only' },
      updated_by: { type: 'string', maxLength: 200, description: 'read-only' },
      base_version: { type: ['integer', 'null'], description: 'read-only' },
      status: { type: 'string', enum: ['new', 'changed', 'unchanged'], description: 'read-only' },
    },
  },
  DraftOverride: {
    type: 'object',
    additionalProperties: false,
    description: 'optional unsaved text to check/test instead of the stored draft',
    properties: { source: text(MAX_SOURCE), scenarios: text(MAX_SOURCE) },
  },
  PublishRequest: {
    type: 'object',
    additionalProperties: false,
    properties: {
      effective_from: { ...date, description: "default: the header's 生效 date (a different date is used, with a warning)" },
      note: { type: 'string', minLength: 1, maxLength: 2000, description: "default: the header's 说明" },
      correction: {
        type: 'object', additionalProperties: false, required: ['supersedes', 'reason'],
        description: 'publish with the same effective date as the latest version, replacing it from that date; the superseded version stays stored and pinnable',
        properties: { supersedes: { type: 'integer', minimum: 1 }, reason: { type: 'string', minLength: 1, maxLength: 2000 } },
      },
      confirm_far_future: { type: 'boolean', description: 'required for an effective date more than 10 years after today' },
    },
  },
  Decision: {
    type: 'object',
    additionalProperties: false,
    properties: { note: text(2000) },
  },
  Approval: {
    type: 'object',
    additionalProperties: false,
    description: 'hash: the snapshot hash from GET …/publish-requests/{requestId} (required; a mismatch is refused)',
    properties: { hash: { type: 'string', pattern: '^[0-9a-f]{64}$' }, note: text(2000) },
  },
  RetireRequest: {
    type: 'object',
    additionalProperties: false,
    properties: { reason: text(2000) },
  },
  CheckRequest: {
    type: 'object',
    required: ['source'],
    additionalProperties: false,
    properties: { source: text(MAX_SOURCE), file: text(500) },
  },
  // The simulation service checks this body by hand (checkInput, the operation's precheck) so
  // that each bad field is named; this schema documents the same rules (and agrees with them).
  SimulationRequest: {
    type: 'object',
    required: ['population'],
    additionalProperties: false,
    properties: {
      candidate: { description: '"draft" (default: the saved draft), a published version number, or a publish request id ("pr-3": the snapshot a reviewer would approve)', oneOf: [{ type: 'string', enum: ['draft'] }, positiveInt, { type: 'string', pattern: '^pr-[1-9][0-9]{0,8}$' }] },
      baseline: { description: '"in-force" (default: the version in force on as_of) or a published version number', oneOf: [{ type: 'string', enum: ['in-force'] }, positiveInt] },
      population: {
        type: 'object',
        description: 'exactly one of generate (a synthetic population) or households (inline; invalid households are counted, not refused)',
        oneOf: [
          {
            type: 'object', required: ['generate'], additionalProperties: false,
            properties: {
              generate: {
                type: 'object', required: ['preset', 'households'], additionalProperties: false,
                properties: {
                  preset: { type: 'string', enum: presetNames() },
                  households: { type: 'integer', minimum: 1, maximum: MAX_GENERATED_HOUSEHOLDS },
                  seed: { description: 'default 1', oneOf: [{ type: 'string', maxLength: 100 }, { type: 'integer', minimum: 0, maximum: 0xffffffff }] },
                },
              },
            },
          },
          {
            type: 'object', required: ['households'], additionalProperties: false,
            properties: { households: { type: 'array', minItems: 1, maxItems: MAX_INLINE_HOUSEHOLDS, items: HOUSEHOLD_REF, description: `at most ${MAX_INLINE_HOUSEHOLDS} (more: 413)` } },
          },
        ],
      },
      as_of: { ...date, description: 'evaluation date (default: today, China time)' },
      samples: { type: 'integer', minimum: 0, maximum: 100, description: 'example households kept per kind of change' },
    },
  },
  // Household registry and monitoring runs (issue 16; docs/monitoring.md)
  RegistryPut: {
    type: 'object', required: ['effective_from', 'household'], additionalProperties: false,
    properties: { effective_from: { ...date, description: 'the day this version of the household takes effect' }, household: HOUSEHOLD_REF },
  },
  MonitorRunRequest: {
    type: 'object', required: ['as_of'], additionalProperties: false,
    properties: { as_of: { ...date, description: 'the date the registry and the rules are read at (e.g. the 1st of the month)' } },
  },
  EntitlementsRequest: {
    type: 'object',
    required: ['household'],
    additionalProperties: false,
    properties: {
      household: HOUSEHOLD_REF,
      as_of: { ...date, description: 'evaluation date (default: today, China time); each programme is evaluated with its version in force on it' },
      trace: { type: 'boolean', default: false, description: 'true: each programme carries its trace (the explanation of every output)' },
      record: RECORD,
    },
  },
  EntitlementsBatchRequest: {
    type: 'object',
    required: ['households'],
    additionalProperties: false,
    properties: {
      households: { type: 'array', items: HOUSEHOLD_REF, maxItems: MAX_ENTITLEMENTS_BATCH, description: `at most ${MAX_ENTITLEMENTS_BATCH} (more: 413)` },
      as_of: date,
      record: RECORD,
    },
  },
} satisfies Record<string, JsonSchema>;

const money: JsonSchema = { type: 'string', pattern: '^-?\\d+\\.\\d{2}$' };
const nullableString: JsonSchema = { type: ['string', 'null'] };

export const responseSchemas: Record<string, JsonSchema> = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message', 'details'],
        properties: {
          code: { type: 'string', example: 'household.invalid' },
          message: { type: 'string', description: '中文 / English' },
          message_zh: { type: 'string' },
          message_en: { type: 'string' },
          details: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } } },
        },
      },
    },
  },
  EvaluateResponse: {
    type: 'object',
    required: ['recorded', 'policy', 'version', 'effective_from', 'as_of', 'outputs', 'assumptions'],
    properties: {
      decision_id: { type: 'string', description: 'the stored decision (UUIDv7; also the Decision-Id header); absent when not recorded' },
      recorded: { type: 'boolean', description: 'false only for a dry run (record: false)' },
      policy: { type: 'string' }, version: { type: 'integer' }, effective_from: date, as_of: date,
      outputs: { type: 'object', description: `outputs by JSON name; money as a decimal string like ${JSON.stringify('1085.00')}`, additionalProperties: true },
      uses: { type: 'object', description: 'the results of the policies this one uses, each by its version in force on as_of (absent when it uses none)', additionalProperties: ref('UsedResult') },
      assumptions: ref('Assumptions'),
      trace: { type: 'array', items: ref('TraceEntry'), description: 'always present, except when the request asked for trace: false (body or query)' },
    },
  },
  Assumptions: {
    type: 'array',
    description: 'what the answer rests on that no source gives: an assumed parameter the outputs read ({parameter, text}) or the version\'s assumed effective date ({version, text}); empty when none',
    items: {
      type: 'object',
      required: ['text'],
      properties: { parameter: { type: 'string' }, version: { type: 'string', description: 'the assumed effective date (YYYY-MM-DD)' }, text: { type: 'string' } },
    },
  },
  TraceEntry: {
    type: 'object',
    properties: {
      output: { type: 'string' }, label: nullableString, value: {},
      decided_by: { type: 'object', properties: { kind: { type: 'string', enum: ['rule', 'exception', 'otherwise', 'expression'] }, name: nullableString, sources: { type: 'array', items: { type: 'string' } } } },
      definitions: { type: 'array', items: { type: 'object' } },
      inputs: { type: 'array', items: { type: 'object' } },
      derivation: { ...ref('Derivation'), description: 'the derivation: the rule that decided, the formula with labels and with the household\'s values, the result, and the same for every name it used (see docs/api.md, Explanations as derivations)' },
    },
  },
  Bilingual: { type: 'object', required: ['zh', 'en'], properties: { zh: { type: 'string' }, en: { type: 'string' } } },
  Derivation: {
    type: 'object',
    required: ['name', 'kind', 'label', 'value', 'text', 'sources', 'uses'],
    properties: {
      name: { type: 'string', description: 'the identifier (for tools); people read `label`' },
      kind: { type: 'string', enum: ['output', 'definition', 'parameter', 'input'] },
      label: ref('Bilingual'), value: ref('Bilingual'),
      member: { type: 'string', description: 'the member it is about (member definitions and fields)' },
      rule: {
        type: 'object', description: 'the rule, exception or 否则 that decided (absent when the declaration is one expression)',
        properties: {
          kind: { type: 'string', enum: ['rule', 'exception', 'otherwise'] }, name: nullableString, text: ref('Bilingual'), line: { type: 'integer' },
          range: { type: 'object', description: 'where the clause and its 依据 are written: {start, end} of {line, column, offset}' },
          condition: ref('DerivationCondition'),
        },
      },
      formula: { ...ref('Bilingual'), description: 'the deciding expression with the policy\'s labels' },
      values: { ...ref('Bilingual'), description: 'the same expression with the values put in' },
      conditions: { type: 'array', items: ref('DerivationCondition'), description: 'the conditions of 如果 … 那么 … 否则 on the path taken' },
      text: { ...ref('Bilingual'), description: 'the one line: label = values = result' },
      sources: { type: 'array', items: { type: 'string' }, description: '依据 of the deciding clause or parameter' },
      range: { type: 'object', description: 'where the definition, output or parameter is declared' },
      uses: { type: 'array', items: ref('Derivation'), description: 'the names the deciding path used, derived the same way' },
      repeated: { type: 'boolean', description: 'derived in full earlier in the same output\'s tree: here only its line' },
      truncated: { type: 'boolean', description: 'past 400 nodes in the output\'s tree: its line only, its sub-derivations left out' },
      members: { type: 'array', items: ref('Derivation'), description: 'per member, for member outputs' },
    },
  },
  DerivationCondition: { type: 'object', properties: { formula: ref('Bilingual'), values: ref('Bilingual'), result: ref('Bilingual') } },
  BatchResponse: {
    type: 'object',
    required: ['recorded', 'policy', 'version', 'results'],
    properties: {
      recorded: { type: 'boolean', description: 'false only for a dry run (record: false)' },
      policy: { type: 'string' }, version: { type: 'integer' }, effective_from: date, as_of: date,
      assumptions: ref('Assumptions'),
      results: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            decision_id: { type: 'string', description: 'a household with outputs, recorded: its decision' },
            id: nullableString,
            outputs: { type: 'object' },
            error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, message_zh: { type: 'string' }, message_en: { type: 'string' }, details: { type: 'array' }, omitted: { type: 'boolean', description: 'past the first 100 households with errors: code only' } } },
          },
        },
      },
      error_count: { type: 'integer', description: 'households with an error' },
      errors_omitted: { type: 'integer', description: 'of them, those whose error is its code only' },
    },
  },
  PolicySummary: {
    type: 'object',
    properties: {
      id: { type: 'string' }, title: nullableString, program: nullableString, jurisdiction: nullableString,
      latest_version: { type: ['integer', 'null'] }, latest_effective_from: { type: ['string', 'null'] },
      draft_revision: { type: 'integer' }, draft_status: { type: 'string', enum: ['new', 'changed', 'unchanged'] },
      assumed_parameters: { type: 'integer' }, pending_requests: { type: 'integer' }, retired: { type: 'boolean' },
    },
  },
  Draft: {
    type: 'object',
    properties: {
      policy: { type: 'string' }, revision: { type: 'integer' }, source: { type: 'string' }, scenarios: { type: 'string' },
      updated_at: { type: 'string' }, updated_by: { type: 'string' }, base_version: { type: ['integer', 'null'] },
      status: { type: 'string', enum: ['new', 'changed', 'unchanged'] },
    },
  },
  VersionSummary: {
    type: 'object',
    properties: {
      version: { type: 'integer' }, effective_from: date, note: { type: 'string' }, hash: { type: 'string', description: 'sha256 hex of source + NUL + scenarios' },
      author: { type: 'string' }, approved_by: nullableString, published_at: { type: 'string' },
      supersedes: { type: ['object', 'null'], description: 'a correction: { version, reason } it replaces from the same date' },
      superseded_by: { type: ['integer', 'null'], description: 'the correction that replaces this version from its date (pin version to replay it)' },
    },
  },
  Diagnostic: {
    type: 'object',
    properties: {
      severity: { type: 'string', enum: ['error', 'warning', 'info'] }, code: { type: 'string' },
      message: { type: 'object', properties: { zh: { type: 'string' }, en: { type: 'string' } } }, range: { type: 'object' }, file: { type: 'string' },
    },
  },
  CheckResult: {
    type: 'object',
    properties: { has_errors: { type: 'boolean' }, errors: { type: 'integer' }, warnings: { type: 'integer' }, diagnostics: { type: 'array', items: ref('Diagnostic') }, info: { type: ['object', 'null'] } },
  },
  TestRun: {
    type: 'object',
    properties: {
      ok: { type: 'boolean' }, compiled: { type: 'boolean' }, passed: { type: 'integer' }, failed: { type: 'integer' },
      diagnostics: { type: 'array', items: ref('Diagnostic') }, scenario_diagnostics: { type: 'array', items: ref('Diagnostic') },
      results: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, ok: { type: 'boolean' }, error: { type: 'string' }, outputs: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, expected: {}, actual: {}, ok: { type: 'boolean' } } } } } } },
    },
  },
  PublishRequestRecord: {
    type: 'object',
    properties: {
      id: { type: 'string' }, status: { type: 'string', enum: ['pending', 'approved', 'rejected'] }, hash: { type: 'string' },
      draft_revision: { type: 'integer' }, base_version: { type: 'integer' }, effective_from: date, note: { type: 'string' },
      requested_by: { type: 'string' }, requested_at: { type: 'string' }, decided_by: nullableString, decided_at: nullableString,
      decision_note: nullableString, version: { type: ['integer', 'null'] },
    },
  },
  PublishRequestReview: {
    type: 'object',
    description: 'a publish request with its immutable snapshot, the diff against its base version and its scenario results',
    properties: {
      id: { type: 'string' }, status: { type: 'string', enum: ['pending', 'approved', 'rejected'] }, hash: { type: 'string' },
      source: { type: 'string' }, scenarios: { type: 'string' }, base_version: { type: 'integer' },
      base: { type: ['object', 'null'] }, diff: { type: 'object', properties: { from: { type: ['integer', 'null'] }, source: ref('LineDiff'), scenarios: ref('LineDiff') } },
      test: { type: 'object' },
    },
  },
  Me: {
    type: 'object',
    required: ['name', 'role', 'open'],
    properties: {
      name: { type: 'string', description: 'the key\'s name (as in the audit log)' },
      role: { type: 'string', enum: ['admin', 'editor', 'reviewer', 'tester', 'client'] },
      open: { type: 'boolean', description: 'local open mode (no API_KEYS, no accounts): everyone is admin' },
      user: { type: 'boolean', description: 'a signed-in person (session cookie), not an API key' },
    },
  },
  AuditEntry: {
    type: 'object',
    properties: {
      seq: { type: 'integer' }, at: { type: 'string' }, who: { type: 'string' }, role: { type: 'string' }, action: { type: 'string' },
      policy: nullableString, revision: { type: ['integer', 'null'] }, version: { type: ['integer', 'null'] }, details: { type: 'object' },
    },
  },
  LineDiff: {
    type: 'object',
    properties: {
      added: { type: 'integer' }, removed: { type: 'integer' }, unified: { type: 'string' },
      lines: { type: 'array', items: { type: 'object', properties: { op: { type: 'string', enum: ['equal', 'add', 'remove'] }, text: { type: 'string' }, from_line: { type: ['integer', 'null'] }, to_line: { type: ['integer', 'null'] } } } },
    },
  },
  SimulationJob: {
    type: 'object',
    required: ['id', 'policy', 'status', 'created_at', 'created_by', 'request', 'progress'],
    properties: {
      id: { type: 'string' }, policy: { type: 'string' },
      status: { type: 'string', enum: ['queued', 'running', 'done', 'failed', 'cancelled'] },
      created_at: { type: 'string' }, created_by: { type: 'string' }, started_at: nullableString, finished_at: nullableString,
      request: {
        type: 'object',
        properties: {
          as_of: date,
          baseline: { type: 'object', properties: { version: { type: 'integer' }, effective_from: date } },
          candidate: { type: 'object', properties: { version: { type: ['integer', 'string'], description: 'a version number or "draft"' }, revision: { type: 'integer' } } },
          population: { type: 'object', description: '{ generate: { preset, households, seed } } or { households: <count> }' },
        },
      },
      progress: { type: 'object', properties: { done: { type: 'integer' }, total: { type: ['integer', 'null'] }, fraction: { type: ['number', 'null'] }, elapsed_ms: { type: 'number' } } },
      result: { oneOf: [ref('SimulationResult'), { type: 'null' }], description: 'when status is done (not in the job list)' },
      error: { type: ['object', 'null'], properties: { code: { type: 'string' }, message: { type: 'string' }, message_zh: { type: 'string' }, message_en: { type: 'string' }, details: { type: 'array' } } },
      deleted: { type: 'boolean', description: 'DELETE of a finished job: it is forgotten' },
    },
  },
  SimulationResult: {
    type: 'object',
    description: 'docs/simulation.md; money as decimal strings',
    properties: {
      as_of: date,
      baseline: { type: 'object' }, candidate: { type: 'object' },
      population: { type: 'object', properties: { source: { type: 'string' }, households: { type: 'integer' }, persons: { type: 'integer' }, invalid: { type: 'integer' }, errors: { type: 'array', items: { type: 'object' } } } },
      totals: { type: 'object', properties: { baseline: { type: 'object' }, candidate: { type: 'object' }, change: { type: 'object' } } },
      by_area: { type: 'object' }, by_county: { type: 'object' }, by_category: { type: 'object' },
      changes: { type: 'object' }, distribution: { type: 'object' }, samples: { type: 'object' },
      run: { type: 'object', properties: { elapsed_ms: { type: 'number' }, households_per_second: { type: 'number' }, threads: { type: 'integer' } } },
    },
  },
  DecisionRecord: {
    type: 'object',
    required: ['id', 'at', 'caller', 'policy', 'version', 'version_hash', 'source_hash', 'as_of', 'household', 'outputs'],
    properties: {
      id: { type: 'string', description: 'UUIDv7 (sorts by time)' }, at: { type: 'string', description: 'when it was decided (ISO 8601)' },
      caller: { type: 'object', properties: { name: { type: 'string' }, role: { type: 'string' } } },
      request_id: nullableString, policy: { type: 'string' }, version: { type: 'integer' },
      version_hash: { type: 'string', description: 'the version\'s hash (sha256 of source + NUL + scenarios, as in …/versions)' },
      source_hash: { type: 'string', description: 'sha256 of the version\'s source' },
      effective_from: date, as_of: date, household_id: nullableString,
      household: { type: 'object', description: 'as received (stored as canonical JSON: keys sorted)' },
      outputs: { type: 'object' },
      batch_index: { type: ['integer', 'null'], description: 'its place in a batch; null for a single evaluation' },
    },
  },
  DecisionReplay: {
    type: 'object',
    required: ['decision_id', 'policy'],
    properties: {
      decision_id: { type: 'string' }, policy: { type: 'string' }, version: { type: 'integer' }, as_of: date,
      identical: { type: 'boolean', description: 'same version: the recomputed outputs equal the recorded ones (false is a defect, logged at error level)' },
      outputs: { description: 'same version: the recomputed outputs; under=current: per output { name, before, after, changed }', oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, before: {}, after: {}, changed: { type: 'boolean' } } } }] },
      recorded_outputs: { type: 'object' },
      under: { type: 'string', enum: ['current'] },
      before: { type: 'object', properties: { version: { type: 'integer' }, effective_from: date, as_of: date } },
      after: { type: 'object', properties: { version: { type: 'integer' }, effective_from: date, as_of: date } },
    },
  },
  // Household registry and monitoring runs (issue 16; docs/monitoring.md)
  RegistryImport: {
    type: 'object', required: ['import_id', 'effective_from', 'households', 'created', 'updated'],
    properties: { import_id: { type: 'string' }, effective_from: date, households: { type: 'integer' }, created: { type: 'integer' }, updated: { type: 'integer', description: 'ids already in the registry: a new dated version each' } },
  },
  RegistryVersion: {
    type: 'object', required: ['id', 'effective_from', 'seq', 'created'],
    properties: { id: { type: 'string' }, effective_from: date, seq: { type: 'integer' }, created: { type: 'boolean' } },
  },
  RegistryHistory: {
    type: 'object', required: ['id', 'versions'],
    properties: { id: { type: 'string' }, versions: { type: 'array', items: { type: 'object', properties: { seq: { type: 'integer' }, effective_from: date, county: nullableString, household: { type: 'object' }, import_id: nullableString, recorded_at: { type: 'string' } } } } },
  },
  MonitorRun: {
    type: 'object', required: ['id', 'as_of', 'status', 'progress', 'lists'],
    properties: {
      id: { type: 'string' }, as_of: date, status: { type: 'string', enum: ['running', 'done', 'cancelled', 'failed'] },
      created_at: { type: 'string' }, finished_at: nullableString, started_by: { type: 'string' }, previous_run: nullableString,
      progress: { type: 'object', properties: { households_total: { type: 'integer' }, households_done: { type: 'integer' }, chunks_total: { type: 'integer' }, chunks_done: { type: 'integer' }, chunks_running: { type: 'integer' }, fraction: { type: 'number' } } },
      evaluation_errors: { type: 'integer' },
      lists: { type: 'object', description: 'per list: label, total, by_policy, by_county', additionalProperties: { type: 'object', properties: { label: { type: 'object' }, total: { type: 'integer' }, by_policy: { type: 'object' }, by_county: { type: 'object' } } } },
    },
  },
  MonitorRunList: {
    type: 'object', required: ['runs'],
    properties: { runs: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, as_of: date, status: { type: 'string' }, created_at: { type: 'string' }, finished_at: nullableString, started_by: { type: 'string' }, households_total: { type: 'integer' }, households_done: { type: 'integer' } } } } },
  },
  MonitorListPage: {
    type: 'object', required: ['run_id', 'list', 'rows', 'next_cursor'],
    properties: {
      run_id: { type: 'string' }, list: { type: 'string' }, label: { type: 'object' }, next_cursor: nullableString,
      rows: { type: 'array', items: { type: 'object', properties: { household_id: { type: 'string' }, policy: { type: 'string' }, county: nullableString, decision_id: nullableString, explanation: { type: 'string', description: 'POST it: the decision replayed, with its trace' }, detail: { type: 'object' } } } },
    },
  },
  UsedResult: {
    type: 'object',
    required: ['version', 'outputs'],
    properties: { version: { type: 'integer' }, outputs: { type: 'object', description: 'the referenced policy\'s outputs (its Outputs_<policyId> schema)' } },
  },
  Place: { type: 'object', required: ['code', 'name'], properties: { code: { type: 'string', pattern: '^\\d{6}$', description: 'GB/T 2260 division code' }, name: { type: 'string' } } },
  Jurisdiction: {
    type: 'object',
    required: ['code', 'name', 'name_en', 'full_name', 'basis', 'residence', 'hukou'],
    properties: {
      code: { type: 'string', pattern: '^\\d{6}$', description: 'GB/T 2260 code of the county (or unit) that handles the application' },
      name: { type: 'string' }, name_en: { type: 'string' }, full_name: { type: 'string', description: 'as a policy header writes it: 宁夏回族自治区吴忠市红寺堡区' },
      basis: {
        type: 'object', required: ['rule', 'zh', 'en', 'source'],
        properties: {
          rule: { type: 'string', enum: ['local_hukou', 'hongsibu_residence_pilot', 'xpcc_residence_permit', 'hukou_place'] },
          zh: { type: 'string' }, en: { type: 'string' }, source: { type: 'string', description: 'the article the rule follows' },
        },
      },
      residence: ref('Place'),
      hukou: { oneOf: [ref('Place'), { type: 'null' }] },
    },
  },
  ProgrammeResultBase: {
    type: 'object',
    required: ['policy', 'title', 'program', 'jurisdiction', 'version', 'effective_from', 'granted', 'outputs', 'uses', 'assumptions'],
    properties: {
      policy: { type: 'string' }, title: { type: 'string' }, program: { type: 'string' },
      jurisdiction: ref('Place'),
      version: { type: 'integer' }, effective_from: date,
      granted: { type: 'boolean', description: 'outputs.eligible is true' },
      outputs: { type: 'object', description: 'typed per policy: see ProgrammeResult' },
      uses: { type: 'object', additionalProperties: ref('UsedResult'), description: 'the referenced results this programme read, by policy id (decided in the same call)' },
      assumptions: ref('Assumptions'),
      decision_id: { type: 'string', description: 'this programme\'s decision record (when recorded)' },
      trace: { type: 'array', items: ref('TraceEntry'), description: 'only with trace: true' },
      error: { type: 'object', description: 'this programme could not decide the household (e.g. a fault of the published policy); the others stand' },
    },
  },
  ProgrammeResult: ref('ProgrammeResultBase'),
  EntitlementsResponse: {
    type: 'object',
    required: ['household_id', 'as_of', 'routed', 'jurisdiction', 'programmes', 'totals', 'recorded', 'decision_ids', 'assumptions'],
    properties: {
      household_id: nullableString, as_of: date, routed: { type: 'boolean' },
      jurisdiction: { oneOf: [ref('Jurisdiction'), { type: 'null' }] },
      programmes: { type: 'array', items: ref('ProgrammeResult'), description: 'every programme in force there on as_of, referenced programmes first' },
      totals: {
        type: 'object', required: ['monthly_cash', 'yearly_cash', 'one_off_cash', 'services'],
        properties: {
          monthly_cash: { ...money, description: 'Σ monthly_amount of the granted programmes (元/月)' },
          yearly_cash: { ...money, description: 'monthly_cash × 12 (元/年)' },
          one_off_cash: { ...money, description: 'granted one-off amounts (临时救助) (元)' },
          services: { type: 'array', items: { type: 'object', required: ['policy', 'program', 'title'], properties: { policy: { type: 'string' }, program: { type: 'string' }, title: { type: 'string' } } } },
        },
      },
      recorded: { type: 'boolean' },
      decision_ids: { type: 'object', additionalProperties: { type: 'string' }, description: 'each programme\'s decision record, by policy id' },
      assumptions: { type: 'array', items: { type: 'object', required: ['policy', 'text'], properties: { policy: { type: 'string' }, parameter: { type: 'string' }, version: { type: 'string' }, text: { type: 'string' } } } },
      reason: { type: 'object', required: ['code', 'message', 'message_zh', 'message_en'], description: 'why no programme applies (present when programmes is empty)',
        properties: { code: { type: 'string' }, message: { type: 'string' }, message_zh: { type: 'string' }, message_en: { type: 'string' } } },
    },
  },
  EntitlementsBatchResponse: {
    type: 'object',
    required: ['as_of', 'recorded', 'results', 'error_count'],
    properties: {
      as_of: date, recorded: { type: 'boolean' }, error_count: { type: 'integer' },
      results: { type: 'array', items: { oneOf: [ref('EntitlementsResponse'), { type: 'object', required: ['household_id', 'error'], properties: { household_id: nullableString, error: { type: 'object' } } }] } },
    },
  },
  Programme: {
    type: 'object',
    required: ['policy', 'title', 'program', 'jurisdiction', 'uses', 'in_force', 'versions', 'outputs'],
    properties: {
      policy: { type: 'string' }, title: nullableString, program: nullableString,
      jurisdiction: { type: 'object', properties: { code: nullableString, name: nullableString, name_en: nullableString } },
      uses: { type: 'array', items: { type: 'string' } },
      in_force: { type: ['integer', 'null'], description: 'the version in force on as_of (null: none yet)' },
      versions: { type: 'array', items: { type: 'object', required: ['version', 'effective_from', 'until'], properties: { version: { type: 'integer' }, effective_from: date, until: { type: ['string', 'null'], description: 'the next version\'s effective date (exclusive); null: still in force' } } } },
      outputs: {
        type: 'array',
        items: {
          type: 'object', required: ['name', 'label', 'label_en', 'type', 'unit', 'per_member'],
          properties: {
            name: { type: 'string' }, label: nullableString, label_en: nullableString, type: { type: 'string', description: 'the language type: 布尔 bool, 金额/月 money per month, …' },
            unit: { type: ['string', 'null'], description: 'yuan/month, yuan/year, yuan, … (null: no unit)' }, per_member: { type: 'boolean' },
          },
        },
      },
    },
  },
  money,
};

export { ref };
