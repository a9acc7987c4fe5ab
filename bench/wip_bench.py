"""Benchmark of the WIP schedule of 200 jobs on a million analytic lines.

    bench/run wip [--lines 1000000] [--jobs 200] [--invoices 2] [--repeat 5]

Builds the database of ``job_cost_bench`` (jobs, phases, cost codes, budgets
by the ORM, ``--lines`` analytic lines by COPY), loads a chart of accounts and
posts, through the ORM, ``--invoices`` customer invoices of three job lines
on every job (a tenth of the jobs also get a credit note; one invoice in ten
is dated after ``--as-of``), then VACUUM ANALYZE, and prints for the WIP
schedule of all the jobs as of ``--as-of``:

- the read API's figures in this process (``_api_wip``), the list of the web
  client (``web_search_read`` of the WIP view, all rows on one page, the sums
  are then the client's) and GET /construction/api/v1/wip over HTTP;
- each one's median time over ``--repeat`` warm runs, its SQL queries, and its
  ratio to the floor (one hand-written SQL query reading the same rows, timed
  in the same run) and to the naive way (browse each job, read its job cost
  lines and its invoice lines, sum in Python);
- whether the three ways agree on each job's cost to date and billed to date.

Figures only; nothing here asserts a speed.
"""

import argparse
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry

sys.path.insert(0, str(Path(__file__).resolve().parent))
from job_cost_bench import (  # the bench directory is not a package
    api_user,
    copy_lines,
    describe,
    measure,
    over_http,
    query_log,
    setup,
    vacuum_analyze,
)

WIP = "construction.wip.report"
LIST_SPEC = {
    "job_id": {"fields": {"display_name": {}}},
    "company_id": {"fields": {}},
    "currency_id": {"fields": {}},
    # The figures of domain/wip.py (not importable before Odoo's addons path is set).
    **{
        name: {}
        for name in (
            "contract_value",
            "estimated_cost",
            "cost_to_date",
            "percent_complete",
            "earned_revenue",
            "billed_to_date",
            "over_billing",
            "under_billing",
            "cost_to_complete",
            "gross_profit",
            "margin_percent",
            "loss_provision",
            "gross_profit_to_date",
        )
    },
}
# The floor: the same rows read once, by hand. Cost per (job, phase, cost
# code) from the ledger, EAC from the budget, billing from the journal items.
FLOOR_SQL = """
    WITH actual AS (
        SELECT job_id, phase_id, cost_code_id, SUM(-amount) AS actual
          FROM account_analytic_line
         WHERE job_id IS NOT NULL AND date <= %(as_of)s
           AND (cost_code_id IS NOT NULL OR amount < 0)
      GROUP BY 1, 2, 3
    ), budget AS (
        SELECT job_id, phase_id, cost_code_id, SUM(original_amount) AS budget
          FROM construction_budget_line
      GROUP BY 1, 2, 3
    ), line AS (
        SELECT COALESCE(a.job_id, b.job_id) AS job_id, COALESCE(a.actual, 0) AS actual,
               COALESCE(b.budget, 0) AS budget
          FROM actual a
     FULL JOIN budget b
            ON b.job_id = a.job_id
           AND b.phase_id IS NOT DISTINCT FROM a.phase_id
           AND b.cost_code_id IS NOT DISTINCT FROM a.cost_code_id
    ), cost AS (
        SELECT job_id, SUM(actual) AS cost, SUM(actual + GREATEST(budget - actual, 0)) AS eac
          FROM line
      GROUP BY 1
    ), billed AS (
        SELECT aml.job_id, SUM(-aml.balance) AS billed
          FROM account_move_line aml
          JOIN account_move am ON am.id = aml.move_id
         WHERE aml.job_id IS NOT NULL AND aml.parent_state = 'posted'
           AND am.move_type IN ('out_invoice', 'out_refund')
           AND aml.display_type = 'product' AND aml.construction_retention_kind IS NULL
           AND aml.date <= %(as_of)s
      GROUP BY 1
    )
    SELECT p.job_code, p.contract_value, COALESCE(c.cost, 0), COALESCE(c.eac, 0),
           COALESCE(bi.billed, 0)
      FROM project_project p
 LEFT JOIN cost c ON c.job_id = p.id
 LEFT JOIN billed bi ON bi.job_id = p.id
     WHERE p.is_job AND p.company_id = %(company)s
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--url", help="the server of --db, for the API over HTTP")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--large", type=int, default=200_000, help="lines of the large job")
    parser.add_argument("--phases", type=int, default=4, help="phases per job (x2: large)")
    parser.add_argument("--codes", type=int, default=30, help="cost codes of the company")
    parser.add_argument("--invoices", type=int, default=2, help="customer invoices per job")
    parser.add_argument("--repeat", type=int, default=5, help="warm runs per figure")
    parser.add_argument("--as-of", default="2026-11-30", type=date.fromisoformat)
    parser.add_argument("--days", type=int, default=730, help="the ledger's span of dates")
    return parser.parse_args()


# ----------------------------------------------------------------------
# Building the database
# ----------------------------------------------------------------------


def post_invoices(env, args, company, jobs):
    """Customer invoices (and a few credit notes) on every job, by the ORM."""
    env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
    customer = env["res.partner"].create({"name": "Bench owner", "is_company": True})
    jobs.write({"partner_id": customer.id})
    # Contracts sized on each job's ledger (the part-1 lines are far above the
    # budgets): 90 % to 130 % of its cost, so that some jobs are in a loss;
    # billings of 85 % to 110 % of the contract, some over, some under billed.
    env.cr.execute(
        """SELECT job_id, SUM(-amount) FROM account_analytic_line
            WHERE job_id = ANY(%s) AND date <= %s GROUP BY job_id""",
        [jobs.ids, args.as_of],
    )
    cost = dict(env.cr.fetchall())
    billing = {}
    for n, job in enumerate(jobs):
        job.contract_value = round(float(cost.get(job.id, 0)) * (0.9 + 0.1 * (n % 5)), -3)
        billing[job.id] = job.contract_value * (0.85 + 0.05 * (n % 6)) / (3 * args.invoices)
    vals_list = []
    for n, job in enumerate(jobs):
        for i in range(args.invoices):
            # One invoice in ten is dated after the as-of date: it must not count.
            days = -5 if (n + i) % 10 == 9 else 20 + 180 * i
            vals_list.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": args.as_of - timedelta(days=days),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": f"Progress billing {i + 1}.{k + 1}",
                                "quantity": 1,
                                "price_unit": round(billing[job.id], 2),
                                "tax_ids": [Command.clear()],
                                "job_id": job.id,
                            }
                        )
                        for k in range(3)
                    ],
                }
            )
        if n % 10 == 0:
            vals_list.append(
                {
                    "move_type": "out_refund",
                    "partner_id": customer.id,
                    "invoice_date": args.as_of - timedelta(days=10),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Credit: billing error",
                                "quantity": 1,
                                "price_unit": 2_500,
                                "tax_ids": [Command.clear()],
                                "job_id": job.id,
                            }
                        )
                    ],
                }
            )
    moves = env["account.move"]
    Move = env["account.move"].with_company(company)
    for start in range(0, len(vals_list), 50):
        batch = Move.create(vals_list[start : start + 50])
        batch.action_post()  # dated after today: left draft, scheduled to post
        moves |= batch
    env.flush_all()
    return moves


def build(env, args):
    cr = env.cr
    started = time.perf_counter()
    company, codes, jobs, large, _budgets = setup(env, args)
    cr.commit()
    orm_s = time.perf_counter() - started
    started = time.perf_counter()
    written = copy_lines(env, args, company, codes, jobs, large)
    cr.commit()
    copy_s = time.perf_counter() - started
    started = time.perf_counter()
    moves = post_invoices(env, args, company, jobs)
    cr.commit()
    invoice_s = time.perf_counter() - started
    vacuum_analyze(cr.dbname)
    cr.execute(
        """SELECT count(*) FROM account_move_line
            WHERE job_id IS NOT NULL AND display_type = 'product'"""
    )
    (billing_lines,) = cr.fetchone()
    print(
        f"setup:    {len(jobs)} jobs, {len(codes)} cost codes, budgets by the ORM in "
        f"{orm_s:.0f} s; {written:,} analytic lines COPYed in {copy_s:.0f} s"
    )
    print(
        f"billing:  {len(moves)} customer invoices and credit notes posted by the ORM "
        f"({billing_lines:,} job lines) in {invoice_s:.0f} s; figures are the median of "
        f"{args.repeat} warm runs, as of {args.as_of}"
    )
    return company, jobs


# ----------------------------------------------------------------------
# The ways to the figures
# ----------------------------------------------------------------------


def floor(cr, company, as_of):
    cr.execute(FLOOR_SQL, {"as_of": as_of, "company": company.id})
    return {code: (cost, eac, billed) for code, _contract, cost, eac, billed in cr.fetchall()}


def naive(env, company, as_of):
    """Browse each job: its job cost lines, its invoice lines, its change
    orders, summed in Python; the WIP arithmetic of domain/wip.py."""
    from odoo.addons.construction_job_costing.domain.wip import contract_as_of, wip_line

    report = env["construction.job.cost.report"].with_context(job_cost_as_of=str(as_of))
    figures = {}
    for job in env["project.project"].search(
        [("is_job", "=", True), ("company_id", "=", company.id)]
    ):
        rows = report.search([("job_id", "=", job.id)])
        cost = sum(rows.mapped("actual"))
        eac = sum(rows.mapped("estimate_at_completion"))
        lines = env["account.move.line"].search(
            [
                ("job_id", "=", job.id),
                ("parent_state", "=", "posted"),
                ("move_id.move_type", "in", ("out_invoice", "out_refund")),
                ("display_type", "=", "product"),
                ("construction_retention_kind", "=", False),
                ("date", "<=", as_of),
            ]
        )
        billed = -sum(lines.mapped("balance"))
        later = job.change_order_ids.filtered(
            lambda co: co.state == "approved" and co.date_approved > as_of
        )
        contract = contract_as_of(job.contract_value, sum(later.mapped("price_delta")))
        figures[job.job_code] = (cost, eac, billed, wip_line(contract, eac, cost, billed))
    return figures


def close(a, b):
    return abs(Decimal(str(a)) - Decimal(str(b))) < Decimal("0.01")


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config])
    registry = Registry(args.db)
    as_of = args.as_of
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company, _jobs = build(env, args)
        user, key = api_user(env, company, login="bench-wip", name="Bench WIP reader")
        cr.commit()

        web_env = api.Environment(
            cr,
            env.ref("base.user_admin").id,
            {"allowed_company_ids": company.ids, "wip_as_of": str(as_of), "lang": "en_US"},
        )
        api_env = web_env(user=user)
        floor_s, floor_log, floor_rows = measure(
            env, lambda: floor(cr, company, as_of), args.repeat
        )
        calls = [
            (
                "read API: _api_wip",
                api_env,
                lambda: api_env[WIP].with_company(company)._api_wip(company, as_of),
            ),
            (
                "list: web_search_read (500)",
                web_env,
                lambda: web_env[WIP].web_search_read(
                    [("company_id", "=", company.id)], LIST_SPEC, limit=500
                ),
            ),
        ]
        figures, results = [], []
        for label, call_env, call in calls:
            seconds, log, result = measure(call_env, call, args.repeat)
            figures.append((label, seconds, log))
            results.append(result)
        body, listed = results
        http_s = None
        if args.url:
            http_s, http_body = over_http(args, key, "wip", args.repeat)
            if http_body["totals"] != body["totals"]:
                print("WARNING: the totals over HTTP differ from the method's")

        env.invalidate_all()
        with query_log() as naive_log:
            started = time.perf_counter()
            naive_rows = naive(env, company, as_of)
            naive_s = time.perf_counter() - started

        # The three ways agree on each job's cost to date and billing; EAC too
        # where no forecast revision overrides the budget (the floor has none).
        by_code = {line["job"]: line for line in body["jobs"]}
        agree_cost = all(
            close(by_code[code]["cost_to_date"], cost)
            and close(naive_rows[code][0], cost)
            and close(by_code[code]["billed_to_date"], billed)
            and close(naive_rows[code][2], billed)
            for code, (cost, _eac, billed) in floor_rows.items()
        )
        eac_same = sum(
            close(by_code[code]["estimated_cost"], eac)
            for code, (_c, eac, _b) in floor_rows.items()
        )
        naive_same = all(
            close(by_code[code]["over_billing"], naive_rows[code][3].over_billing)
            and close(by_code[code]["under_billing"], naive_rows[code][3].under_billing)
            for code in by_code
        )
        totals = body["totals"]
        print(
            f"results:  {len(body['jobs'])} jobs on the WIP, {listed['length']} rows in the "
            f"list; API, naive and floor {'agree' if agree_cost else 'DISAGREE'} on each job's "
            f"cost to date and billing; EAC equal to the floor's on {eac_same} jobs (the others "
            f"carry forecast revisions); over/under billing API = naive: "
            f"{'yes' if naive_same else 'NO'}"
        )
        print(
            f"totals:   contract {totals['contract_value']:,.2f}, cost to date "
            f"{totals['cost_to_date']:,.2f}, EAC {totals['estimated_cost']:,.2f}, "
            f"{totals['percent_complete']} % complete, billed {totals['billed_to_date']:,.2f}, "
            f"over {totals['over_billing']:,.2f}, under {totals['under_billing']:,.2f}"
        )
        print()
        print(
            f"{'figure (all jobs)':<38} {'time':>9} {'queries':>8} {'x floor':>8} {'vs naive':>9}"
        )

        def row(label, seconds, queries):
            print(
                f"{label:<38} {seconds * 1000:>6.0f} ms {queries:>8} "
                f"{seconds / floor_s:>7.1f}x {naive_s / seconds:>8.1f}x"
            )

        row("floor: one SQL query (hand-written)", floor_s, len(floor_log))
        for label, seconds, log in figures:
            row(label, seconds, len(log))
        if http_s is not None:
            row("read API over HTTP (GET /wip)", http_s, "server")
        row("naive: browse per job, sum in Python", naive_s, len(naive_log))
        print("(x floor: time / the floor's; vs naive: how many times faster than the naive way)")
        print()
        print("queries (last run):")
        for label, _seconds, log in figures:
            print(f"  {label}: {describe(log)}")
        print(f"  naive: {describe(naive_log)}")
        slowest = max([seconds for _label, seconds, _log in figures] + [http_s or 0])
        print()
        print(
            f"targets:  under 2 s: slowest {slowest * 1000:.0f} ms "
            f"({'met' if slowest < 2 else 'MISSED'}); within 2x of the floor: worst "
            f"{slowest / floor_s:.1f}x ({'met' if slowest < 2 * floor_s else 'MISSED'})"
        )
        cr.rollback()


if __name__ == "__main__":
    main()
