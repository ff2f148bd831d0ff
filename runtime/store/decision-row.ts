// One decision record as the stores keep it (the decisions table, a monitoring run's results) and
// the insert writes it: its own file, so the insert and the repository do not import each other.
export interface DecisionRow {
  id: string;
  at: string;                   // ISO timestamp
  caller_name: string;
  caller_role: string;
  caller_key: string;           // key fingerprint
  request_id: string | null;
  policy: string;
  version: number;
  version_hash: string;
  source_hash: string;
  effective_from: string;
  as_of: string;
  household_id: string | null;
  household: string;            // canonical JSON
  outputs: string;              // canonical JSON
  batch_index: number | null;
}
