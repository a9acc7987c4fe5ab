"""Benchmark: a large site's month of field time sent at once after an outage.

    bench/run field_sync [--count 50000] [--employees 600] [--equipment 60]

Builds one job with phases, a labor and an equipment cost code, ``--employees``
employees with badges and hourly costs and ``--equipment`` machines with rates,
then sends ``--count`` ``field.timesheet`` and ``field.equipment_usage``
messages over HTTP in batches of 1000 (the contract's maximum), as a field app
does when it comes back online:

- 85 % are the month's records (4 of 5 time entries, 1 of 5 equipment hours);
- 10 % are resent (the same idempotency key and payload again: duplicates);
- 5 % are older versions of records the app had synced before the outage
  (their newer versions are applied first, before the clock starts): stale.

Then the processor (``_process_due``, as the cron runs it, batches of 500,
one commit each) applies the queue in this process. Printed:

- accepted messages/s over HTTP, applied messages/s and SQL queries per
  applied message;
- the check: time and equipment hours stored for the job equal, to the
  hundredth, the totals the messages should leave (stale ones change nothing,
  duplicates are stored once), and the inbound states;
- the baseline: the same kind of timesheet lines created one ``create`` call
  each through the ORM in this process (what a naive per-record integration
  does at best), and the ratio.

Figures only; nothing here asserts a speed.
"""

import argparse
import json
import random
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import requests

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", required=True)
    parser.add_argument("--config", required=True, help="odoo.conf of that database's server")
    parser.add_argument("--count", type=int, default=50000)
    parser.add_argument("--employees", type=int, default=600)
    parser.add_argument("--equipment", type=int, default=60)
    parser.add_argument("--batch", type=int, default=500, help="processor batch size")
    parser.add_argument("--baseline-count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes applying the queue at once, as cron workers do; with more than one, "
        "batches with time of the same employee and day conflict and are retried later",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--go", type=float, default=0, help=argparse.SUPPRESS)
    return parser.parse_args()


def setup(env, tag):
    company = env.company
    job = env["project.project"].create(
        {
            "name": f"Bench site {tag}",
            "job_code": f"B-{tag}",
            "company_id": company.id,
            "job_status": "in_progress",
            "phase_ids": [
                Command.create({"code": f"P{n}", "name": f"Phase {n}"}) for n in range(1, 5)
            ],
        }
    )
    CostCode = env["construction.cost.code"]
    labor = CostCode.create(
        {"code": f"L-{tag}", "name": "Field labor", "cost_type": "labor", "company_id": company.id}
    )
    equipment_code = CostCode.create(
        {
            "code": f"E-{tag}",
            "name": "Equipment",
            "cost_type": "equipment",
            "company_id": company.id,
        }
    )
    return company, job, labor, equipment_code


def people(env, args, company, tag, equipment_code):
    employees = env["hr.employee"].create(
        [
            {
                "name": f"Worker {tag} {n}",
                "barcode": f"{tag}{n:05d}",
                "hourly_cost": 30 + n % 25,
                "company_id": company.id,
            }
            for n in range(args.employees)
        ]
    )
    machines = env["construction.equipment"].create(
        [
            {
                "code": f"EQ-{tag}-{n}",
                "name": f"Machine {n}",
                "hourly_rate": 40 + 5 * (n % 20),
                "ownership": "owned" if n % 3 else "rented",
                "cost_code_id": equipment_code.id,
                "company_id": company.id,
            }
            for n in range(args.equipment)
        ]
    )
    return employees, machines


def integration(env, tag, company):
    user = env["res.users"].create(
        {
            "name": f"Bench field app {tag}",
            "login": f"bench-field-{tag}",
            "company_id": company.id,
            "company_ids": [Command.set(company.ids)],
            "groups_id": [Command.link(env.ref("construction_connector.group_integration").id)],
        }
    )
    source = env["construction.sync.source"].create(
        {"code": f"field-{tag}", "name": "Bench field app", "user_id": user.id}
    )
    key = env["res.users.apikeys"].with_user(user).sudo()._generate(None, "bench", False)
    return source, key


def month_of_messages(args, tag, job, labor, equipment_code, employees, machines):
    """The messages of the month and the totals they must leave stored.

    Returns (before, outage, expected): ``before`` holds the records the app
    synced before the outage (5 % of the count); ``outage`` the month's new
    records (85 %), resends of some of them (10 %) and older versions of the
    ``before`` records (5 %), shuffled; ``expected`` the hours that must be
    stored: every record once, at its newest version.
    """
    rng = random.Random(args.seed)
    stale_n = round(args.count * 0.05)
    resent_n = round(args.count * 0.10)
    new_n = args.count - stale_n - resent_n
    total = new_n + stale_n
    start = date.today() - timedelta(days=31)
    clock = datetime.utcnow() - timedelta(days=31)
    phases = [phase.code for phase in job.phase_ids]
    time_n = total * 4 // 5
    records = []
    # Time: each employee at most two entries a day (at most 12 h), within the 16 h rule.
    slots = [(day, n, half) for day in range(30) for n in range(len(employees)) for half in (0, 1)]
    rng.shuffle(slots)
    if len(slots) < time_n:
        raise SystemExit(f"--employees too small for {time_n} time entries in 30 days")
    for index, (day, n, half) in enumerate(slots[:time_n]):
        records.append(
            (
                "field.timesheet",
                {
                    "external_id": f"T-{tag}-{day}-{n}-{half}",
                    "employee": employees[n].barcode,
                    "project": job.job_code,
                    "phase": phases[index % len(phases)],
                    "cost_code": labor.code,
                    "date": (start + timedelta(days=day)).isoformat(),
                    "hours": rng.choice(["3.5", "4", "4.5", "2", "6"]),
                    "device": f"tablet-{n % 12}",
                },
                clock + timedelta(days=day, hours=10, seconds=index % 3600),
            )
        )
    for index in range(total - time_n):
        records.append(
            (
                "field.equipment_usage",
                {
                    "external_id": f"E-{tag}-{index}",
                    "equipment": machines[index % len(machines)].code,
                    "project": job.job_code,
                    "phase": phases[index % len(phases)],
                    "cost_code": equipment_code.code,
                    "date": (start + timedelta(days=index % 30)).isoformat(),
                    "hours": rng.choice(["1.5", "2", "3", "5.25"]),
                    "device": f"tablet-{index % 12}",
                },
                clock + timedelta(days=index % 30, hours=15, seconds=index % 3600),
            )
        )
    rng.shuffle(records)
    expected = {"time": Decimal(0), "equipment": Decimal(0)}
    for type_, payload, _occurred in records:
        kind = "time" if type_ == "field.timesheet" else "equipment"
        expected[kind] += Decimal(payload["hours"])
    synced, fresh = records[:stale_n], records[stale_n:]
    before = [envelope(type_, payload, occurred) for type_, payload, occurred in synced]
    older = [
        envelope(
            type_,
            {**payload, "hours": str(Decimal(payload["hours"]) + 1)},
            occurred - timedelta(minutes=30),
        )
        for type_, payload, occurred in synced
    ]
    new = [envelope(type_, payload, occurred) for type_, payload, occurred in fresh]
    resent = [dict(message) for message in rng.sample(new, resent_n)]
    outage = new + resent + older
    rng.shuffle(outage)
    return before, outage, expected


def envelope(type_, payload, occurred):
    return {
        "source": None,  # set when sending
        "type": type_,
        "idempotency_key": str(uuid.uuid4()),
        "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "payload": payload,
    }


def send(args, source_code, key, messages):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {key}"
    started = time.perf_counter()
    for start in range(0, len(messages), 1000):
        chunk = [{**message, "source": source_code} for message in messages[start : start + 1000]]
        response = session.post(
            f"{args.url}/construction/api/v1/messages", json={"messages": chunk}, timeout=300
        )
        if response.status_code != 202:
            raise SystemExit(f"submit answered {response.status_code}: {response.text[:500]}")
    return time.perf_counter() - started


def apply_all(registry, batch):
    applied = 0
    queries_before = odoo.sql_db.sql_counter
    started = time.perf_counter()
    while True:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            count = env["construction.sync.inbound"]._process_due(limit=batch)
            cr.commit()
        if not count:
            break
        applied += count
    return applied, time.perf_counter() - started, odoo.sql_db.sql_counter - queries_before


def apply_in_workers(args):
    """Apply the queue with ``--workers`` processes at once; (applied, wall s, queries).

    Each worker loads its registry, waits for the others, then claims batches
    (``FOR UPDATE SKIP LOCKED``) until the queue is empty, as cron workers do.
    """
    if args.workers <= 1:
        return apply_all(Registry(args.db), args.batch)
    go = time.time() + 8  # every worker has loaded its registry by then
    command = [
        sys.executable,
        __file__,
        "--worker",
        "--db",
        args.db,
        "--config",
        args.config,
        "--batch",
        str(args.batch),
        "--go",
        str(go),
    ]
    workers = [
        subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(args.workers)
    ]
    results = [json.loads(worker.communicate()[0].strip().splitlines()[-1]) for worker in workers]
    applied = sum(r["applied"] for r in results)
    wall = max(r["end"] for r in results) - min(r["start"] for r in results)
    return applied, wall, sum(r["queries"] for r in results)


def worker_main(args):
    odoo.tools.config.parse_config(["-c", args.config])
    registry = Registry(args.db)
    time.sleep(max(args.go - time.time(), 0))
    start = time.time()
    applied, _seconds, queries = apply_all(registry, args.batch)
    print(json.dumps({"applied": applied, "start": start, "end": time.time(), "queries": queries}))


def stored(env, job, source):
    env.cr.execute(
        """SELECT COALESCE(SUM(unit_amount) FILTER (WHERE employee_id IS NOT NULL), 0),
                  COALESCE(SUM(unit_amount) FILTER (WHERE employee_id IS NULL), 0),
                  COUNT(*)
             FROM account_analytic_line
            WHERE job_id = %s AND field_source_id = %s
              AND field_state IS DISTINCT FROM 'cancelled'""",
        (job.id, source.id),
    )
    time_hours, equipment_hours, lines = env.cr.fetchone()
    env.cr.execute(
        """SELECT state, COUNT(*), COUNT(*) FILTER (WHERE note LIKE 'Stale%%')
             FROM construction_sync_inbound WHERE source_id = %s GROUP BY state""",
        (source.id,),
    )
    states = {state: (count, stale) for state, count, stale in env.cr.fetchall()}
    return Decimal(str(time_hours)), Decimal(str(equipment_hours)), lines, states


def baseline(env, args, job, labor, employees):
    started = time.perf_counter()
    Line = env["account.analytic.line"]
    day = date.today() - timedelta(days=60)
    for index in range(args.baseline_count):
        Line.create(
            {
                "name": "Naive timesheet",
                "project_id": job.id,
                "employee_id": employees[index % len(employees)].id,
                "unit_amount": 0.5,
                "date": day + timedelta(days=index // len(employees)),
                "cost_code_id": labor.id,
            }
        )
    env.cr.rollback()
    return args.baseline_count / (time.perf_counter() - started)


def main():
    args = parse_args()
    if args.worker:
        return worker_main(args)
    odoo.tools.config.parse_config(["-c", args.config])
    registry = Registry(args.db)
    tag = uuid.uuid4().hex[:5].upper()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        company, job, labor, equipment_code = setup(env, tag)
        employees, machines = people(env, args, company, tag, equipment_code)
        source, key = integration(env, tag, company)
        before, outage, expected = month_of_messages(
            args, tag, job, labor, equipment_code, employees, machines
        )
        cr.commit()
        job_id, source_id, code = job.id, source.id, source.code
    # Before the outage: what the app had synced, applied before the clock starts.
    send(args, code, key, before)
    apply_all(registry, args.batch)
    accept_s = send(args, code, key, outage)
    applied, apply_s, queries = apply_in_workers(args)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        job = env["project.project"].browse(job_id)
        source = env["construction.sync.source"].browse(source_id)
        time_hours, equipment_hours, lines, states = stored(env, job, source)
        employees = env["hr.employee"].search([("barcode", "=like", f"{tag}%")])
        labor = env["construction.cost.code"].search([("code", "=", f"L-{tag}")])
        base_rate = baseline(env, args, job, labor, employees)
    applied_rate = applied / apply_s if apply_s else 0
    stale_n = round(args.count * 0.05)
    resent_n = round(args.count * 0.10)
    print(
        f"messages: {len(outage)} sent after the outage ({len(outage) - stale_n - resent_n} "
        f"new records, {resent_n} resent, {stale_n} older than stored), batches of 1000"
    )
    print(f"accepted: {len(outage) / accept_s:,.0f} messages/s over HTTP ({accept_s:.1f} s)")
    print(
        f"applied:  {applied_rate:,.0f} messages/s by the processor ({apply_s:.1f} s, "
        f"{applied} messages, batches of {args.batch}, {args.workers} worker(s))"
    )
    print(f"queries:  {queries / max(applied, 1):.2f} SQL queries per applied message")
    print(
        "inbound:  "
        + ", ".join(f"{state} {n} ({st} stale)" for state, (n, st) in sorted(states.items()))
    )
    ok_time = time_hours == expected["time"]
    ok_equipment = equipment_hours == expected["equipment"]
    print(
        f"check:    time {time_hours} h stored, {expected['time']} h expected: "
        f"{'exact' if ok_time else 'MISMATCH'}; equipment {equipment_hours} h stored, "
        f"{expected['equipment']} h expected: {'exact' if ok_equipment else 'MISMATCH'} "
        f"({lines} lines)"
    )
    print(
        f"baseline: {base_rate:,.0f} timesheet lines/s with one ORM create each "
        f"({args.baseline_count} lines)"
    )
    print(f"ratio:    {applied_rate / base_rate:.1f}x (processor vs one create per line)")


if __name__ == "__main__":
    main()
