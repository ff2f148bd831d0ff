// The --help text of each command, kept apart from the commands so that `policy <cmd> --help`
// answers without loading the policy language.

export const HELP: Record<string, string> = {
  check: `用法 / Usage: policy check <files|dirs>… [--format text|json] [--lang zh|en] [--policies DIR]

检查政策文件（语法与语义），像编译器一样打印诊断。
Parses and checks policy files; prints each diagnostic like a compiler:

  file:line:col severity code 中文说明 / English message
     12 | 定义 x = 未知名称 + 1
        |          ^^^^^^^^

A folder is searched for *.policy files (schema modules in common/ are skipped), scenarios.yaml
files and suites in their own files (checked for YAML and shape errors, unknown keys and
duplicate scenario names, and against their policy: expect keys that are no output, unknown
decided_by rules, a policy id or version that cannot be found).

Options:
  --format text|json   text (default) or one JSON document for tools
  --lang zh|en         only Chinese or only English messages (default: both)
  --policies DIR       where suites in their own files find their policy (default: $POLICIES_DIR, else ./policies)
  -h, --help           this help

Exit code: 0 no errors (warnings allowed) · 1 errors found · 2 wrong usage or missing path`,

  test: `用法 / Usage: policy test <files|dirs>… [--filter TEXT|/REGEX/] [--reporter pretty|junit|json] [--output FILE] [--policies DIR]

运行情景测试：每个 policy.policy 旁边的 scenarios.yaml，以及单独的情景文件。
Runs scenario suites: every policy (*.policy outside common/) that has a scenarios.yaml beside
it (a scenarios.yaml may be given instead of its policy), and suites in their own .yaml files
that name their policy by id ("policy: <id>", optionally "version: N"). Without a version, each
scenario runs on the version in force on its as_of.

Prints ✓ or ✗ per scenario; for a failure, each output's expected and actual value and any
decided_by (rule/exception) mismatch. Ends with "N passed, M failed".

Options:
  --filter TEXT        only scenarios whose name contains TEXT; /REGEX/ (or /REGEX/i) for a regular expression
  --reporter R         pretty (default), junit (JUnit XML) or json
  --output FILE        write the junit/json report to FILE, creating its folders (the pretty output
                       still goes to the terminal); without --output the report goes to stdout
  --policies DIR       where suites in their own files find their policy: DIR/<id>/v<N>/policy.policy
                       (default: $POLICIES_DIR, else ./policies)
  --quiet              print only failures and the summary
  --lang zh|en         only Chinese or only English diagnostics (default: both)
  -h, --help           this help

Exit code: 0 all passed · 1 a scenario failed, a policy has errors or nothing matched · 2 wrong usage`,

  eval: `用法 / Usage: policy eval --policy <file|id> --household <file|-> [options]

计算一户家庭的输出。 Evaluates one household and prints the outputs as a table.

  --policy P        a .policy file (or its folder), or a policy id: locally policies/<id>/v<N>/policy.policy,
                    the version in force on --as-of (or --version N); with --server, the id on the server
  --household F     the household as JSON or YAML (.yaml/.yml); "-" reads JSON from stdin.
                    An API request body { "household": …, "as_of": … } is accepted too.
  --as-of DATE      evaluation date YYYY-MM-DD (default: the file's as_of, else today in China)
  --version N       pin a published version (server) or policies/<id>/vN (local id)
  --explain         the explanation: per output, the rule or exception that decided it with its
                    citation (依据), its derivation (the formula with the household's numbers
                    put in, and the same for every name it used), and the definitions and
                    household fields it used
  --lang zh|en      the derivation in Chinese only or English only (default: both)
  --json            machine-readable: { policy, version, effective_from, as_of, outputs, trace? }
  --server URL      evaluate on a running server (POST /api/policies/{id}/evaluate); env POLICY_SERVER
  --key KEY         API key for --server; env POLICY_API_KEY
  -h, --help        this help

Exit code: 0 evaluated · 1 invalid household, policy errors or server refusal · 2 wrong usage

Examples:
  policy eval --policy examples/dibao/policy.policy --household h.json --as-of 2024-06-01 --explain
  policy eval --policy dawukou-dibao --household h.json --server http://127.0.0.1:3000 --json`,

  entitlements: `用法 / Usage: policy entitlements --household <file|-> [options]

一门受理：一户家庭可享受的全部救助项目。 Routes the household to the county that handles it
(residence_code / hukou_code, or county / hukou_county / hukou_province) and evaluates every
programme in force there, referenced programmes first — the same answer as POST /api/entitlements.

  --household F     the household as JSON or YAML; "-" reads JSON from stdin.
                    An API request body { "household": …, "as_of": … } is accepted too.
  --as-of DATE      evaluation date YYYY-MM-DD (default: the file's as_of, else today in China)
  --explain         each programme's trace (with --json)
  --json            machine-readable: the body POST /api/entitlements answers (nothing recorded locally)
  --server URL      ask a running server instead of the published versions under policies/
                    ($POLICIES_DIR); env POLICY_SERVER
  --key KEY         API key for --server; env POLICY_API_KEY
  -h, --help        this help

Exit code: 0 answered (also when no programme applies: the reason is printed) · 1 invalid household
or place, or server refusal · 2 wrong usage

Examples:
  policy entitlements --household h.json --as-of 2024-06-01
  policy entitlements --household h.json --server http://127.0.0.1:3000 --key KEY --json`,

  fmt: `用法 / Usage: policy fmt <files|dirs>… [--check]

按统一格式重写政策文件（保留注释）。 Rewrites .policy files in the canonical layout (comments kept).
A folder is searched for *.policy files, schema modules in common/ included.

Options:
  --check      change nothing: list the files that are not formatted and exit 1 if any (for CI)
  -h, --help   this help

Exit code: 0 formatted (or already formatted) · 1 --check found unformatted files, or a file
has syntax errors (fix them first: policy check FILE) · 2 wrong usage`,

  decisions: `用法 / Usage: policy decisions show <id> | replay <id> [--under current] | export [--from D] [--to D] [--policy P] [--household H]  --server URL [--key KEY]

决定记录：查看、重算、导出。
show     one decision record (GET /api/decisions/{id}), as JSON
replay   recompute it under its own version (exit 1 when not identical: a defect), or with
         --under current under the version in force today, output by output
export   every decision matching the filters as JSON Lines on stdout, newest first
         (--from/--to: a date, China time, --to included; or an RFC 3339 date-time)

A client key reads only its own decisions; admin and reviewer keys read all (docs/api.md).
Options:
  --server URL      the studio server (or POLICY_SERVER)
  --key KEY         API key (or POLICY_API_KEY)

Exit code: 0 ok · 1 refused, not found, unreachable or a replay that differs · 2 wrong usage`,

  monitor: `用法 / Usage: policy monitor <action> --server URL [--key KEY]

动态监测（docs/monitoring.md）。
import <file.jsonl|file.csv> --effective-from D   stream households into the registry (all-or-nothing)
run --as-of D [--wait]                            start a monitoring run (--wait: until it ends)
status [<run>]                                    one run's progress and list counts, or the latest runs
list <run> <list> [--policy P] [--county C]       a list as JSON Lines on stdout
export <run> <list> --format csv|xlsx --out FILE  a list as a file for the monthly push
Lists: newly_eligible, no_longer_eligible, amount_changed, exit_within_30, exit_within_60, flags
Options:
  --server URL      the studio server (or POLICY_SERVER)
  --key KEY         API key (or POLICY_API_KEY)

Exit code: 0 ok · 1 refused, not found, unreachable, or a run that failed or was cancelled · 2 wrong usage`,
  users: `用法 / Usage: policy users list | add <name> --role R | disable <name> | enable <name> | passwd <name> | role <name> --role R
        --server URL (--key ADMIN_KEY | --user ADMIN_NAME)

管理服务器上的用户账号（需要管理员）。Manages the server's accounts (GET/POST /api/users,
PUT /api/users/{name}); roles: admin, editor, reviewer, tester, client.
list      every account: name, role, enabled/disabled, created at, created by
add       a new account with --role; its password from POLICY_NEW_PASSWORD or stdin's first line
disable   the account can no longer sign in; its sessions end (enable undoes it)
passwd    sets a new password (POLICY_NEW_PASSWORD or stdin); the account's sessions end
role      changes the account's role

Passwords are never taken from the command line. The first admin account is made by the server
from STUDIO_ADMIN and STUDIO_ADMIN_PASSWORD (docs/security.md).
Options:
  --server URL      the studio server (or POLICY_SERVER)
  --key KEY         an admin API key (or POLICY_API_KEY)
  --user NAME       sign in as this admin account instead; its password in POLICY_PASSWORD
  --role ROLE       for add and role

Exit code: 0 ok · 1 refused or unreachable · 2 wrong usage`,
  publish: `用法 / Usage: policy publish <policy dir> --server URL --key KEY [--effective DATE] [--note TEXT]

把政策目录（policy.policy + scenarios.yaml）上传为草稿并发布为新版本。
Uploads <dir>/policy.policy and <dir>/scenarios.yaml as the policy's draft on the server
(PUT /api/policies/{id}/draft with the ETag from GET; POST /api/policies when the policy is new)
and publishes it (POST /api/policies/{id}/publish). The id is read from the policy's header.

The server refuses, with reasons, a draft with errors or failing scenarios, an effective date
that differs from the header's 生效 or is before the previous version's, or a draft identical
to the latest version. When the server requires review, a publish request is filed instead and
its id printed: a reviewer approves it in the studio or over the API.

Options:
  --server URL       the studio server, e.g. http://127.0.0.1:3000; env POLICY_SERVER
  --key KEY          an editor (or admin) API key; env POLICY_API_KEY (not needed in local open mode)
  --effective DATE   effective date YYYY-MM-DD (default: the header's 生效)
  --note TEXT        what changed in this version (default: the header's 说明)
  -h, --help         this help

Exit code: 0 published or request filed · 1 refused, rejected or unreachable · 2 wrong usage`,
};
