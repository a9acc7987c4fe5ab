"""Benchmark of AP matching: batched against bill-by-bill, and flat in database size.

    bench/run ap_match [--pos 2000] [--lines 5] [--chunk 200]

Builds ``--pos`` confirmed job purchase orders of ``--lines`` lines, fully
received, then creates and matches one bill per order, ``--chunk`` bills at a
time, and prints:

- bills matched per second (batched ``_construction_match`` per chunk);
- SQL queries per bill in the first chunk (``--chunk`` bills in the database)
  and in the last one (``--pos`` bills): matching must not grow with the database;
- the baseline: the last chunk's bills matched again one call per bill, and the
  ratio. Figures only; nothing here asserts a speed.
"""

import argparse
import time

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--url", help="unused: matching runs in this process")
    parser.add_argument("--pos", type=int, default=2000)
    parser.add_argument("--lines", type=int, default=5)
    parser.add_argument("--chunk", type=int, default=200)
    return parser.parse_args()


def setup(env, args):
    company = env.company
    if not env["account.journal"].search(
        [("type", "=", "purchase"), ("company_id", "=", company.id)]
    ):
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
    vendor = env["res.partner"].create({"name": "Bench Supplier", "supplier_rank": 1})
    products = env["product.product"].create(
        [
            {
                "name": f"Bench item {i}",
                "type": "consu",
                "purchase_method": "receive",
                "supplier_taxes_id": [Command.clear()],
            }
            for i in range(args.lines)
        ]
    )
    job = env["project.project"].create(
        {
            "name": "Bench job",
            "job_code": "J-BENCH",
            "company_id": company.id,
            "phase_ids": [Command.create({"code": "P1", "name": "Phase 1"})],
        }
    )
    cost_code = env["construction.cost.code"].create(
        {"code": "99-100", "name": "Bench", "company_id": company.id}
    )
    return vendor, products, job, cost_code


def make_orders(env, args, vendor, products, job, cost_code):
    orders = env["purchase.order"]
    for start in range(0, args.pos, 100):
        batch = env["purchase.order"].create(
            [
                {
                    "partner_id": vendor.id,
                    "job_id": job.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": p.id,
                                "product_qty": 10,
                                # Prices differ per order: equal totals would
                                # all be possible duplicates of each other.
                                "price_unit": 10 + i + n / 100,
                                "phase_id": job.phase_ids.id,
                                "cost_code_id": cost_code.id,
                            }
                        )
                        for i, p in enumerate(products)
                    ],
                }
                for n in range(start, min(start + 100, args.pos))
            ]
        )
        batch.button_confirm()
        pickings = batch.picking_ids
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        pickings.with_context(skip_backorder=True).button_validate()
        orders |= batch
        env.cr.commit()
    return orders


def make_bills(env, orders):
    vals_list = []
    for order in orders:
        lines = []
        for po_line in order.order_line:
            values = po_line._prepare_account_move_line()
            values.pop("display_type", None)
            lines.append(Command.create(values))
        vals_list.append(
            {
                "move_type": "in_invoice",
                "partner_id": order.partner_id.id,
                "ref": f"B-{order.name}",
                "invoice_date": "2026-11-20",
                "invoice_line_ids": lines,
            }
        )
    return env["account.move"].create(vals_list)


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config])
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        vendor, products, job, cost_code = setup(env, args)
        started = time.perf_counter()
        orders = make_orders(env, args, vendor, products, job, cost_code)
        print(
            f"setup:    {len(orders)} received POs of {args.lines} lines in "
            f"{time.perf_counter() - started:.0f} s"
        )
        match_time, matched, per_chunk = 0.0, 0, []
        last_bills = env["account.move"]
        for start in range(0, len(orders), args.chunk):
            bills = make_bills(env, orders[start : start + args.chunk])
            env.flush_all()
            env.invalidate_all()
            queries = odoo.sql_db.sql_counter
            t0 = time.perf_counter()
            bills._construction_match()
            env.flush_all()
            match_time += time.perf_counter() - t0
            per_chunk.append((odoo.sql_db.sql_counter - queries) / len(bills))
            matched += len(bills)
            last_bills = bills
            cr.commit()
        states = dict(
            env["account.move"]._read_group(
                [("id", "in", last_bills.ids)], ["construction_match_state"], ["__count"]
            )
        )
        # Baseline: the same bills matched one call per bill.
        env.invalidate_all()
        t0 = time.perf_counter()
        for bill in last_bills:
            bill._construction_match()
            env.flush_all()
        naive = (time.perf_counter() - t0) / len(last_bills)
        batched = match_time / matched
        print(f"bills:    {matched} bills of {args.lines} lines, last chunk states {states}")
        print(f"matched:  {1 / batched:,.1f} bills/s batched ({match_time:.1f} s)")
        print(
            f"queries:  {per_chunk[0]:.1f} per bill with {args.chunk} bills in the database, "
            f"{per_chunk[-1]:.1f} with {matched}"
        )
        print(f"baseline: {1 / naive:,.1f} bills/s matched one call per bill")
        print(f"ratio:    {naive / batched:.1f}x batched vs bill by bill")
        cr.rollback()


if __name__ == "__main__":
    main()
