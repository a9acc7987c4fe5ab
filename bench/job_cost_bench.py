"""Benchmark of the job cost report on a million analytic lines.

    bench/run job_cost [--lines 1000000] [--jobs 200] [--large 200000] [--repeat 5]

Builds ``--jobs`` jobs with phases, ~30 cost codes and budgets through the ORM,
then COPYs ``--lines`` analytic lines into ``account_analytic_line`` (``--large``
of them on one job, the rest spread over the others, interleaved by date as a
ledger fills up), VACUUM ANALYZE, and prints, for the report of the large job
as of ``--as-of``:

- the web client's read path as a user: the list grouped by phase (what the
  job's Job Cost button opens, ``web_read_group``), the pivot phase x cost code
  (``web_read_group`` not lazy), the list's first page (``web_search_read``);
- the read API: ``_api_job_cost`` in this process, and
  GET /construction/api/v1/jobs/<code>/cost on the server of ``--url``;
- each one's median time over ``--repeat`` warm runs, its SQL queries, and its
  ratio to the floor (one hand-written SQL GROUP BY over the same rows, timed
  in the same run) and to the naive way (browse the lines, sum in Python);
- EXPLAIN (ANALYZE, BUFFERS) of the report query: which scans read the
  analytic lines, and whether the job filter reaches them;
- the pivot of all jobs (``_read_group`` by job) as an extra figure.

Figures only; nothing here asserts a speed.
"""

import argparse
import io
import json
import random
import re
import statistics
import threading
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from datetime import date, timedelta

import requests

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry

REPORT = "construction.job.cost.report"
# What the list view of the report shows and sums (views/..._report_views.xml).
LIST_SUMS = [
    "original_budget:sum",
    "approved_changes:sum",
    "revised_budget:sum",
    "pending_changes:sum",
    "committed:sum",
    "actual:sum",
    "committed_actual:sum",
    "estimate_to_complete:sum",
    "estimate_at_completion:sum",
    "variance:sum",
]
PIVOT_MEASURES = [
    "revised_budget:sum",
    "committed:sum",
    "actual:sum",
    "estimate_to_complete:sum",
    "estimate_at_completion:sum",
    "variance:sum",
]
# The report list view's page: a job's lines on one page (no count query then).
LIST_LIMIT = 500
LIST_SPEC = {
    "job_id": {"fields": {"display_name": {}}},
    "phase_id": {"fields": {"display_name": {}}},
    "cost_code_id": {"fields": {"display_name": {}}},
    "cost_type": {},
    "currency_id": {"fields": {}},
    "company_id": {"fields": {}},  # in the list view too: the company rule reads it
    **{name.split(":")[0]: {} for name in LIST_SUMS},
    "percent_spent": {},
    "forecast_overridden": {},
}
FLOOR_SQL = """
    SELECT phase_id, cost_code_id, SUM(amount)
      FROM account_analytic_line
     WHERE job_id = %s AND date <= %s
  GROUP BY 1, 2
"""
COST_TYPES = ["labor", "material", "subcontract", "equipment", "other"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--url", help="the server of --db, for the read API over HTTP")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--large", type=int, default=200_000, help="lines of the large job")
    parser.add_argument("--phases", type=int, default=4, help="phases per job (x2: large)")
    parser.add_argument("--codes", type=int, default=30, help="cost codes of the company")
    parser.add_argument("--repeat", type=int, default=5, help="warm runs per figure")
    parser.add_argument("--as-of", default="2026-11-30", type=date.fromisoformat)
    parser.add_argument("--days", type=int, default=730, help="the ledger's span of dates")
    return parser.parse_args()


# ----------------------------------------------------------------------
# Building the database
# ----------------------------------------------------------------------


def setup(env, args):
    """Cost codes, jobs with phases, budgets and a few forecasts, by the ORM."""
    company = env.company
    codes = env["construction.cost.code"].create(
        [
            {
                "code": f"90-{100 + i}",
                "name": f"Bench code {i}",
                "cost_type": COST_TYPES[i % len(COST_TYPES)],
                "company_id": company.id,
            }
            for i in range(args.codes)
        ]
    )
    jobs = env["project.project"]
    for start in range(0, args.jobs, 50):
        jobs |= env["project.project"].create(
            [
                {
                    "name": f"Bench job {n}",
                    "job_code": f"J-B{n:04d}",
                    "company_id": company.id,
                    "job_status": "in_progress",
                    "phase_ids": [
                        Command.create({"code": f"P{p}", "name": f"Phase {p}", "sequence": p})
                        for p in range(1, (2 if n == 0 else 1) * args.phases + 1)
                    ],
                }
                for n in range(start, min(start + 50, args.jobs))
            ]
        )
    large = jobs[0]
    # The large job budgets every (phase, cost code); the others ten lines each.
    budget_vals = []
    for job in jobs:
        pairs = [(phase, code) for phase in job.phase_ids for code in codes]
        if job != large:
            pairs = pairs[:: max(len(pairs) // 10, 1)][:10]
        budget_vals.append(
            {
                "job_id": job.id,
                "line_ids": [
                    Command.create(
                        {
                            "phase_id": phase.id,
                            "cost_code_id": code.id,
                            "quantity": 10,
                            "original_amount": 50_000 + 1_000 * (i % 17),
                        }
                    )
                    for i, (phase, code) in enumerate(pairs)
                ],
            }
        )
    budgets = env["construction.budget"]
    for start in range(0, len(budget_vals), 50):
        budgets |= env["construction.budget"].create(budget_vals[start : start + 50])
    # A few forecast revisions on the large job: the report's LATERAL finds them.
    env["construction.forecast.revision"].create(
        [
            {
                "job_id": large.id,
                "phase_id": phase.id,
                "cost_code_id": code.id,
                "date": args.as_of - timedelta(days=30 + i),
                "estimate_to_complete": 10_000 + i,
                "note": "Bench forecast",
            }
            for i, (phase, code) in enumerate(
                (phase, code) for phase in large.phase_ids[:2] for code in codes[:10]
            )
        ]
    )
    env.flush_all()
    return company, codes, jobs, large, budgets


def copy_lines(env, args, company, codes, jobs, large):
    """COPY the analytic lines, in date order, the large job's among the others."""
    cr = env.cr
    rng = random.Random(20261201)
    phases = {job.id: job.phase_ids.ids for job in jobs}
    accounts = {job.id: job.account_id.id for job in jobs}
    code_types = [(code.id, code.cost_type) for code in codes]
    others = jobs.ids[1:]
    first_day = args.as_of - timedelta(days=args.days - 31)  # a month lies after as_of
    columns = (
        "name, date, amount, account_id, company_id, currency_id, job_id, phase_id, "
        "cost_code_id, cost_type, category, unit_amount, create_uid, write_uid, "
        "create_date, write_date"
    )
    now = odoo.fields.Datetime.to_string(odoo.fields.Datetime.now())
    currency = company.currency_id.id
    large_share = args.large / args.lines
    left_large, left_other = args.large, args.lines - args.large
    chunk = 100_000
    written = 0
    for start in range(0, args.lines, chunk):
        buf = io.StringIO()
        for i in range(start, min(start + chunk, args.lines)):
            pick_large = left_other == 0 or (left_large and rng.random() < large_share)
            if pick_large:
                job_id = large.id
                left_large -= 1
            else:
                job_id = others[rng.randrange(len(others))]
                left_other -= 1
            day = first_day + timedelta(days=i * args.days // args.lines)
            roll = rng.random()
            phase = r"\N" if roll < 0.05 else rng.choice(phases[job_id])
            if roll > 0.98:  # no cost code: a cost all the same (negative)
                code, cost_type = r"\N", r"\N"
                amount = -rng.randint(100, 500_000) / 100
            else:
                code, cost_type = rng.choice(code_types)
                amount = rng.randint(100, 500_000) / 100
                amount = amount if roll > 0.95 else -amount  # 3 % credits
            buf.write(
                f"Bench cost {i}\t{day}\t{amount}\t{accounts[job_id]}\t{company.id}\t"
                f"{currency}\t{job_id}\t{phase}\t{code}\t{cost_type}\tother\t1\t1\t1\t"
                f"{now}\t{now}\n"
            )
        buf.seek(0)
        cr._obj.copy_expert(f"COPY account_analytic_line ({columns}) FROM STDIN", buf)
        written += cr._obj.rowcount
    return written


def vacuum_analyze(dbname):
    """VACUUM ANALYZE outside a transaction, as autovacuum would have by now."""
    connection = odoo.sql_db.db_connect(dbname)
    with connection.cursor() as cr:
        cr._cnx.autocommit = True
        try:
            cr._obj.execute("VACUUM ANALYZE")
        finally:
            cr._cnx.autocommit = False


# ----------------------------------------------------------------------
# Measuring
# ----------------------------------------------------------------------


@contextmanager
def query_log():
    """Every SQL query this thread runs meanwhile: [(query text, seconds)]."""
    log = []
    thread = threading.current_thread()

    def hook(cr, query, params, start, delay):
        log.append((query.decode() if isinstance(query, bytes) else query, params, delay))

    previous = getattr(thread, "query_hooks", ())
    thread.query_hooks = (*previous, hook)
    try:
        yield log
    finally:
        thread.query_hooks = previous


def describe(log):
    """'2 queries, 312 ms in SQL: report view x1 (300 ms), res_users x1 (1 ms)'."""
    by_table, time_by_table = Counter(), defaultdict(float)
    for query, _params, delay in log:
        if "account_analytic_line" in query and "construction_budget_line" in query:
            table = "report view"
        elif "account_analytic_line" in query:
            table = "account_analytic_line"
        else:
            found = re.search(r'\bFROM\s+"?(\w+)"?', query, re.IGNORECASE)
            table = found.group(1) if found else query.split()[0]
        by_table[table] += 1
        time_by_table[table] += delay
    parts = ", ".join(
        f"{table} x{count} ({time_by_table[table] * 1000:.0f} ms)"
        for table, count in by_table.most_common()
    )
    total = sum(delay for _q, _p, delay in log)
    return f"{len(log)} queries, {total * 1000:.0f} ms in SQL: {parts}"


def measure(env, fn, repeat):
    """(median seconds, query log of the last run, result) over ``repeat`` warm runs."""
    fn()  # warm-up: registry, caches, plans
    times = []
    for _ in range(repeat):
        env.invalidate_all()
        with query_log() as log:
            started = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - started)
    return statistics.median(times), log, result


def floor(cr, job, as_of):
    cr.execute(FLOOR_SQL, (job.id, as_of))
    return {(phase or False, code or False): -amount for phase, code, amount in cr.fetchall()}


def naive(env, job, as_of):
    """The naive way: browse the job's analytic lines and sum them in Python."""
    lines = env["account.analytic.line"].search([("job_id", "=", job.id), ("date", "<=", as_of)])
    sums = defaultdict(float)
    for line in lines:
        if line.cost_code_id or line.amount < 0:
            sums[line.phase_id.id, line.cost_code_id.id] -= line.amount
    return dict(sums)


def api_user(env, company, login="bench-job-cost", name="Bench job cost reader"):
    """An integration user with an API key, as an external system would use."""
    group = env.ref("construction_connector.group_integration")
    user = env["res.users"].create(
        {
            "name": name,
            "login": login,
            "company_id": company.id,
            "company_ids": [Command.set(company.ids)],
            "groups_id": [Command.link(group.id)],
        }
    )
    key = env["res.users.apikeys"].with_user(user).sudo()._generate(None, "bench", False)
    return user, key


def explain(cr, query, params):
    """EXPLAIN (ANALYZE, BUFFERS) of a query: (plan, its scans of tables, its
    aggregations over many rows)."""
    cr.execute(f"EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) {query}", params)
    plan = cr.fetchone()[0]
    plan = json.loads(plan)[0] if isinstance(plan, str) else plan[0]
    scans, aggregations = [], []

    def rows(node):
        return int(node["Actual Rows"] * node["Actual Loops"])

    def walk(node):
        children = node.get("Plans", ())
        if "Relation Name" in node:
            conditions = " ".join(
                node[key] for key in ("Index Cond", "Recheck Cond", "Filter") if key in node
            )
            using = f" using {node['Index Name']}" if "Index Name" in node else ""
            removed = int(node.get("Rows Removed by Filter", 0) * node["Actual Loops"])
            scans.append(
                (node["Relation Name"], node["Node Type"] + using, rows(node), removed, conditions)
            )
        if node["Node Type"] == "Aggregate" and children and rows(children[0]) > 1000:
            child = children[0]
            how = f"{node.get('Strategy', '')} aggregate".strip()
            if child["Node Type"] == "Sort":
                how += (
                    f" after a sort ({child.get('Sort Method')}, "
                    f"{child.get('Sort Space Type')} {child.get('Sort Space Used', 0):,} kB)"
                )
            aggregations.append(
                f"{how}: {rows(child):,} rows of width {child['Plan Width']} into {rows(node):,} "
                f"groups (estimated {node['Plan Rows']:,})"
            )
        for child in children:
            walk(child)

    walk(plan["Plan"])
    return plan, scans, aggregations


def build(env, args):
    """The database of the benchmark, committed; prints what it holds."""
    cr = env.cr
    started = time.perf_counter()
    company, codes, jobs, large, budgets = setup(env, args)
    cr.commit()
    orm_s = time.perf_counter() - started
    started = time.perf_counter()
    written = copy_lines(env, args, company, codes, jobs, large)
    cr.commit()
    copy_s = time.perf_counter() - started
    started = time.perf_counter()
    vacuum_analyze(env.cr.dbname)
    vacuum_s = time.perf_counter() - started
    cr.execute(
        """SELECT count(*), count(*) FILTER (WHERE job_id = %s),
                  count(*) FILTER (WHERE job_id = %s AND date <= %s),
                  pg_size_pretty(pg_total_relation_size('account_analytic_line'))
             FROM account_analytic_line""",
        (large.id, large.id, args.as_of),
    )
    total, on_large, counted, size = cr.fetchone()
    print(
        f"setup:    {len(jobs)} jobs of {args.phases} phases ({2 * args.phases} for "
        f"{large.job_code}), {len(codes)} bench cost codes, {len(budgets.line_ids)} budget "
        f"lines by the ORM in {orm_s:.0f} s"
    )
    print(
        f"lines:    {written:,} analytic lines COPYed in {copy_s:.0f} s, VACUUM ANALYZE "
        f"{vacuum_s:.0f} s; table {total:,} rows, {size}"
    )
    print(
        f"job:      {large.job_code}: {on_large:,} lines, {counted:,} dated by {args.as_of} "
        f"(as of); figures are the median of {args.repeat} warm runs"
    )
    return company, large, total, on_large


def over_http(args, key, path, repeat):
    """(median seconds, body) of GET ``path`` (as of --as-of) on the server of --url."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {key}"
    url = f"{args.url}/construction/api/v1/{path}"

    def get():
        response = session.get(url, params={"as_of": str(args.as_of)}, timeout=120)
        response.raise_for_status()
        return response.json()

    get()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        body = get()
        times.append(time.perf_counter() - started)
    return statistics.median(times), body


def print_explain(cr, query, params, job, total, on_large, as_of):
    plan, scans, aggregations = explain(cr, query, params)
    floor_plan, _scans, floor_aggregations = explain(cr, FLOOR_SQL, (job.id, as_of))
    top = plan["Plan"]
    print()
    print(
        f"EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) of the pivot's report query: "
        f"{plan['Execution Time']:.0f} ms (floor {floor_plan['Execution Time']:.0f} ms), "
        f"planning {plan['Planning Time']:.0f} ms, shared buffers hit "
        f"{top.get('Shared Hit Blocks', 0):,} read {top.get('Shared Read Blocks', 0):,}, "
        f"temp written {top.get('Temp Written Blocks', 0):,}"
    )
    empty = set()
    for relation, node, actual_rows, removed, conditions in scans:
        if not actual_rows and not removed and relation != "account_analytic_line":
            empty.add(relation)
            continue
        print(
            f"  {relation:<31} {node:<55} rows {actual_rows:>8,} (removed {removed:,})"
            f"  {conditions[:100]}"
        )
    print(f"  no rows in: {', '.join(sorted(empty))}")
    for line in aggregations:
        print(f"  report: {line}")
    for line in floor_aggregations:
        print(f"  floor:  {line}")
    aal = [scan for scan in scans if scan[0] == "account_analytic_line"]
    read = sum(scan[2] + scan[3] for scan in aal)
    pushed = read <= on_large and all(f"job_id = {job.id}" in scan[4] for scan in aal)
    print(
        f"  job filter pushed into the analytic lines' scan: {'yes' if pushed else 'NO'} "
        f"({read:,} rows read of {total:,})"
    )


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config])
    registry = Registry(args.db)
    as_of = args.as_of
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company, large, total, on_large = build(env, args)
        user, key = api_user(env, company)
        cr.commit()

        # The web client's read path as an internal user of the company (the
        # record rules apply), on an invalidated ORM cache each run.
        web_env = api.Environment(
            cr,
            env.ref("base.user_admin").id,
            {"allowed_company_ids": company.ids, "job_cost_as_of": str(as_of), "lang": "en_US"},
        )
        api_env = web_env(user=user)
        report = web_env[REPORT]
        domain = [("job_id", "=", large.id)]
        floor_s, floor_log, floor_sums = measure(env, lambda: floor(cr, large, as_of), args.repeat)
        calls = [
            (
                "list by phase: web_read_group",
                web_env,
                lambda: report.web_read_group(domain, LIST_SUMS, ["phase_id"], lazy=True),
            ),
            (
                "pivot phase x code: web_read_group",
                web_env,
                lambda: report.web_read_group(
                    domain, [*PIVOT_MEASURES, "__count"], ["phase_id", "cost_code_id"], lazy=False
                ),
            ),
            (
                "list rows: web_search_read (500)",
                web_env,
                lambda: report.web_search_read(domain, LIST_SPEC, limit=LIST_LIMIT),
            ),
            (
                "read API: _api_job_cost",
                api_env,
                lambda: api_env[REPORT]
                .with_company(company)
                ._api_job_cost(large.with_env(api_env), as_of),
            ),
        ]
        figures, results = [], []
        for label, call_env, call in calls:
            seconds, log, result = measure(call_env, call, args.repeat)
            figures.append((label, seconds, log))
            results.append(result)
        _by_phase, pivot, rows, body = results
        pivot_log = figures[1][2]
        http_s = None
        if args.url:
            http_s, http_body = over_http(args, key, f"jobs/{large.job_code}/cost", args.repeat)
            if http_body["totals"] != body["totals"]:
                print("WARNING: the totals over HTTP differ from the method's")

        # The naive way, once (it is the slow one), on a cold ORM cache.
        env.invalidate_all()
        with query_log() as naive_log:
            started = time.perf_counter()
            naive_sums = naive(env, large, as_of)
            naive_s = time.perf_counter() - started

        # Extra figure: the pivot of all jobs, grouped by job.
        all_s, all_log, all_groups = measure(
            web_env,
            lambda: report.web_read_group([], [*PIVOT_MEASURES, "__count"], ["job_id"], lazy=False),
            max(args.repeat // 2, 1),
        )

        # The three ways agree on the actual cost of each (phase, cost code).
        report_sums = {
            (
                group["phase_id"] and group["phase_id"][0],
                group["cost_code_id"] and group["cost_code_id"][0],
            ): group["actual"]
            for group in pivot["groups"]
            if group["actual"]
        }
        agree = len(report_sums) == len(floor_sums) == len(naive_sums) and all(
            abs(report_sums.get(key, 0) - float(value)) < 0.005
            and abs(naive_sums.get(key, 0) - float(value)) < 0.005
            for key, value in floor_sums.items()
        )
        print(
            f"results:  report, naive and floor {'agree' if agree else 'DISAGREE'} on "
            f"{len(floor_sums)} (phase, cost code) actuals; API total actual "
            f"{body['totals']['actual']:,.2f}, floor {sum(map(float, floor_sums.values())):,.2f}; "
            f"{len(pivot['groups'])} pivot cells, {rows['length']} report rows; "
            f"{len(all_groups['groups'])} jobs in the pivot of all jobs"
        )

        print()
        print(
            f"{'figure (the large job unless said)':<38} {'time':>9} {'queries':>8} "
            f"{'x floor':>8} {'vs naive':>9}"
        )

        def row(label, seconds, queries, ratio=True):
            vs_floor = f"{seconds / floor_s:.1f}x" if ratio else ""
            vs_naive = f"{naive_s / seconds:.1f}x" if ratio else ""
            print(f"{label:<38} {seconds * 1000:>6.0f} ms {queries:>8} {vs_floor:>8} {vs_naive:>9}")

        row("floor: SQL GROUP BY (hand-written)", floor_s, len(floor_log))
        for label, seconds, log in figures:
            row(label, seconds, len(log))
        if http_s is not None:
            row("read API over HTTP (GET .../cost)", http_s, "server")
        row("naive: browse lines, sum in Python", naive_s, len(naive_log))
        row("pivot of all jobs, by job (extra)", all_s, len(all_log), ratio=False)
        print("(x floor: time / the floor's; vs naive: how many times faster than the naive way)")
        print()
        print("queries (last run):")
        for label, _seconds, log in figures:
            print(f"  {label}: {describe(log)}")
        print(f"  naive: {describe(naive_log)}")
        print(f"  pivot of all jobs: {describe(all_log)}")

        slowest = max([seconds for _label, seconds, _log in figures] + [http_s or 0])
        print()
        print(
            f"targets:  large job under 1 s: slowest {slowest * 1000:.0f} ms "
            f"({'met' if slowest < 1 else 'MISSED'}); within 2x of the floor: "
            f"worst {slowest / floor_s:.1f}x ({'met' if slowest < 2 * floor_s else 'MISSED'})"
        )

        query, params, _delay = next(
            entry
            for entry in pivot_log
            if "account_analytic_line" in entry[0] and "construction_budget" in entry[0]
        )
        print_explain(cr, query, params, large, total, on_large, as_of)
        cr.rollback()


if __name__ == "__main__":
    main()
