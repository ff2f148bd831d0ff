// The registry and monitoring tables (issue 16), as migrations 10–19 (the numbers this part of
// the schema owns). migrations.ts applies them with the others.
import type { Migration } from '../sql/types.js';
import { RESULTS_VIEW, RESULTS_VIEW_14 } from './monitor-results.js';

export const MONITOR_MIGRATIONS: Migration[] = [
  {
    version: 10,
    name: 'registry',
    sql: `
CREATE TABLE registry_households (
  id         text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Dated history: a version takes effect on effective_from; a later write never changes an
-- earlier one (seq grows), so a run that remembers the seq it started at reads the registry
-- exactly as it was, even if the same date is written again afterwards.
CREATE TABLE registry_history (
  seq            bigserial PRIMARY KEY,
  household_id   text NOT NULL REFERENCES registry_households (id),
  effective_from text NOT NULL,               -- YYYY-MM-DD
  county         text,
  household      text NOT NULL,               -- canonical JSON
  import_id      text,
  recorded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX registry_history_at ON registry_history (household_id, effective_from, seq);
-- An import streams its rows here first; only a wholly valid import is copied into the history.
CREATE TABLE registry_staging (
  import_id    text NOT NULL,
  line         integer NOT NULL,
  household_id text NOT NULL,
  county       text,
  household    text NOT NULL,
  PRIMARY KEY (import_id, line)
);
CREATE INDEX registry_staging_id ON registry_staging (import_id, household_id);
`,
  },
  {
    version: 11,
    name: 'monitor runs',
    sql: `
CREATE TABLE monitor_runs (
  id           uuid PRIMARY KEY,
  as_of        text NOT NULL,
  status       text NOT NULL,                 -- running | done | cancelled | failed
  created_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  started_by   text NOT NULL,
  caller_role  text NOT NULL,
  caller_key   text NOT NULL,
  registry_seq bigint NOT NULL,               -- the registry as it was when the run started
  previous_run uuid,
  total        integer NOT NULL,
  done         integer NOT NULL DEFAULT 0,
  errors       integer NOT NULL DEFAULT 0
);
-- a scheduled run happens once per date, however many instances see the schedule fire
CREATE UNIQUE INDEX monitor_runs_scheduled ON monitor_runs (as_of) WHERE started_by = 'monitor-schedule';
CREATE TABLE monitor_chunks (
  run_id     uuid NOT NULL REFERENCES monitor_runs (id),
  seq        integer NOT NULL,
  lo         text NOT NULL,                   -- household ids lo ≤ id < hi (hi null: to the end)
  hi         text,
  size       integer NOT NULL,
  status     text NOT NULL DEFAULT 'pending', -- pending | running | done
  claimed_by text,
  heartbeat  timestamptz,
  attempts   integer NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, seq)
);
CREATE INDEX monitor_chunks_open ON monitor_chunks (status, run_id, seq);
CREATE TABLE monitor_results (
  run_id       uuid NOT NULL,
  household_id text NOT NULL,
  policy       text NOT NULL,                 -- '' for a household routed nowhere or invalid
  version      integer,
  county       text,
  decision_id  uuid,
  eligible     boolean,
  amount_fen   bigint,
  gradual_exit_until text,
  outputs      text,
  error        text,
  PRIMARY KEY (run_id, household_id, policy)
);
CREATE TABLE monitor_list_rows (
  run_id       uuid NOT NULL,
  list         text NOT NULL,
  household_id text NOT NULL,
  policy       text NOT NULL,
  county       text,
  decision_id  uuid,
  detail       text NOT NULL,                 -- JSON: what put the household on the list
  PRIMARY KEY (run_id, list, household_id, policy)
);
CREATE INDEX monitor_list_rows_filter ON monitor_list_rows (run_id, list, policy, county);
`,
  },
  {
    version: 12,
    name: 'monitor decisions',
    sql: `
-- A run's decisions are its results (issue 16, the run's hot path): each (household, programme)
-- result with a decision id is that decision, read back through GET /api/decisions/{id} and
-- replayed like any other. Nothing is copied per programme: the household is the registry
-- version the run read (household_seq), the caller and as_of are the run's, and the version's
-- hashes are written once per run and programme version.
ALTER TABLE monitor_results ADD COLUMN household_seq bigint;
CREATE INDEX monitor_results_decision ON monitor_results (decision_id) WHERE decision_id IS NOT NULL;
CREATE TABLE monitor_run_versions (
  run_id         uuid NOT NULL,
  policy         text NOT NULL,
  version        integer NOT NULL,
  version_hash   text NOT NULL,
  source_hash    text NOT NULL,
  effective_from text NOT NULL,
  PRIMARY KEY (run_id, policy, version)
);
`,
  },
  {
    version: 13,
    name: 'monitor decisions by household',
    sql: `
-- GET /api/decisions?household_id= lists a household's monitoring decisions beside its other ones
-- (an appeal reads every decision about a household), newest first by id.
CREATE INDEX monitor_results_household ON monitor_results (household_id, decision_id) WHERE decision_id IS NOT NULL;
`,
  },
  {
    version: 14,
    name: 'monitor results per household',
    sql: `
-- 一户一行 (issue 16, storing): a run's results, one row per household with all its programmes
-- (runtime/store/monitor-results.ts has the format): ≈ 6 × fewer rows, and texts stored as they
-- come. Runs stored before keep their rows in monitor_results; the view reads both, one row
-- per (household, programme), as monitor_results did.
CREATE TABLE monitor_households (
  run_id        uuid NOT NULL,
  household_id  text NOT NULL,
  county        text,
  household_seq bigint,                       -- the registry version evaluated
  decision_base uuid NOT NULL,                -- programme i's decision id: the base, last byte i
  outcomes      text NOT NULL,                -- a line per programme: policy, version, eligible, amount, 渐退 end, error
  outputs       text NOT NULL,                -- a line per programme: canonical JSON outputs
  PRIMARY KEY (run_id, household_id)
);
CREATE INDEX monitor_households_decision ON monitor_households (decision_base);
CREATE INDEX monitor_households_household ON monitor_households (household_id, decision_base);
${RESULTS_VIEW_14};
`,
  },
  {
    version: 15,
    name: 'monitor outputs once per chunk',
    sql: `
-- Outputs stored once (issue 16, storing): households share outputs (a chunk of 1,000 Dawukou
-- households: ≈ 6,600 programme outputs, ≈ 320 distinct), so a household's outputs line may be
-- \`#n\`, the chunk's n-th distinct outputs, kept here under the run and the part of the decision
-- base its chunk's households share (runtime/store/monitor-results.ts). Rows stored before keep
-- their outputs in the line; the view reads both.
CREATE TABLE monitor_outputs (
  run_id  uuid NOT NULL,
  block   text NOT NULL,                      -- left(decision_base::text, 28) of the households naming it
  n       integer NOT NULL,
  outputs text NOT NULL,                      -- canonical JSON outputs
  PRIMARY KEY (run_id, block, n)
);
${RESULTS_VIEW};
`,
  },
];
