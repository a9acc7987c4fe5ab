"""Benchmark of the inbound queue against a naive per-record integration.

Run against a live Odoo with construction_connector installed (scripts/bench
starts one on a fresh database):

    python3 bench/connector_bench.py --url http://127.0.0.1:8069 --db DB \
        --login admin --password admin --count 20000

It prints, for ``--count`` master.vendor messages:

- accepted messages/s: submitted over HTTP in batches of 500;
- applied messages/s and SQL queries per applied message: the cron processor
  (``_process_due``), run in this process on the same database;
- the baseline: the same number of vendors created with one XML-RPC ``create``
  call each (what a naive integration does), and the ratio.

Figures only; nothing here asserts a speed.
"""

import argparse
import time
import uuid
import xmlrpc.client

import requests


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", required=True)
    parser.add_argument("--config", required=True, help="odoo.conf of that database's server")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--count", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument(
        "--baseline-count",
        type=int,
        default=None,
        help="vendors created by XML-RPC for the baseline (default: --count)",
    )
    return parser.parse_args()


def setup(args):
    """An integration user with an API key and a source, through XML-RPC."""
    common = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/common")
    uid = common.authenticate(args.db, args.login, args.password, {})
    models = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/object", allow_none=True)

    def call(model, method, *params, **kw):
        return models.execute_kw(args.db, uid, args.password, model, method, list(params), kw)

    tag = uuid.uuid4().hex[:6]
    group = call(
        "ir.model.data", "check_object_reference", "construction_connector", "group_integration"
    )[1]
    user_id = call(
        "res.users",
        "create",
        {"name": f"Bench {tag}", "login": f"bench-{tag}", "groups_id": [(4, group)]},
    )
    call("construction.sync.source", "create", {"code": f"bench-{tag}", "name": "Bench"})
    return tag, user_id, call


def api_key_for(args, user_id):
    """Generate the user's API key inside Odoo (no UI needed)."""
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.config])
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        return env["res.users.apikeys"].with_user(user_id).sudo()._generate(None, "bench", False)


def submit(args, tag, key):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {key}"
    started = time.perf_counter()
    for start in range(0, args.count, args.batch):
        messages = [
            {
                "source": f"bench-{tag}",
                "type": "master.vendor",
                "idempotency_key": f"{tag}-{i}",
                "payload": {
                    "external_id": f"{tag}-{i}",
                    "name": f"Vendor {i}",
                    "email": f"ap{i}@vendor.example.com",
                },
            }
            for i in range(start, min(start + args.batch, args.count))
        ]
        response = session.post(
            f"{args.url}/construction/api/v1/messages", json={"messages": messages}, timeout=120
        )
        response.raise_for_status()
    return time.perf_counter() - started


def apply_all(args):
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    registry = Registry(args.db)
    applied = 0
    queries_before = odoo.sql_db.sql_counter
    started = time.perf_counter()
    while True:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            count = env["construction.sync.inbound"]._process_due(limit=args.batch)
            cr.commit()
        if not count:
            break
        applied += count
    return applied, time.perf_counter() - started, odoo.sql_db.sql_counter - queries_before


def baseline(args, call, tag):
    count = args.baseline_count or args.count
    started = time.perf_counter()
    for i in range(count):
        call(
            "res.partner",
            "create",
            {
                "name": f"Naive {tag} {i}",
                "supplier_rank": 1,
                "email": f"naive{i}@vendor.example.com",
            },
        )
    return count, time.perf_counter() - started


def main():
    args = parse_args()
    tag, user_id, call = setup(args)
    key = api_key_for(args, user_id)
    accept_s = submit(args, tag, key)
    applied, apply_s, queries = apply_all(args)
    base_count, base_s = baseline(args, call, tag)
    accepted_rate = args.count / accept_s
    applied_rate = applied / apply_s if apply_s else 0
    end_to_end = args.count / (accept_s + apply_s)
    base_rate = base_count / base_s
    print(f"messages: {args.count} master.vendor in batches of {args.batch}")
    print(f"accepted: {accepted_rate:,.0f} messages/s over HTTP ({accept_s:.1f} s)")
    print(
        f"applied:  {applied_rate:,.0f} messages/s by the processor ({apply_s:.1f} s, "
        f"{applied} applied)"
    )
    print(f"queries:  {queries / max(applied, 1):.2f} SQL queries per applied message")
    print(
        f"baseline: {base_rate:,.0f} vendors/s with one XML-RPC create each "
        f"({base_count} in {base_s:.1f} s)"
    )
    print(f"ratio:    {end_to_end / base_rate:.1f}x (accept + apply end to end vs baseline)")


if __name__ == "__main__":
    main()
