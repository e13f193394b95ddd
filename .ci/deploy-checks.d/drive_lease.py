#!/usr/bin/env python3
"""Drives one lease through a running leaseflow stack, as LaunchStory does in the demo: an INIT_COMPLETE Heat stack,
a Blazar lease with a physical:host reservation starting in a few seconds, POST /v1/bindings on stack-launcher, then
waits for the plan to be COMPLETE and the Heat stack UPDATE_COMPLETE with the reservation's id.

Afterwards it exercises the paths whose meters exist only once used (a redelivered start -> duplicate, an unrelated
notification -> ignored, an unreadable one -> DLQ, a notification whose Blazar lookup fails -> deferred, a start
notification RabbitMQ drops -> reconciler finding, a hosts-exchange group of 3 members), so that every metric a
dashboard or alert names is present in /q/metrics. Prints one JSON object with the outcome and the latencies.

Usage: drive_lease.py SIM LAUNCHER EXCHANGE RABBITMQ_MANAGEMENT [WATCHER]  (base URLs; WATCHER enables the deferred
and reconciler paths, which wait for lease-watcher's /q/metrics; the reconciler one takes up to one
leaseflow.reconcile.interval)."""
import base64, json, re, sys, time, urllib.request, urllib.error
from datetime import datetime, timedelta, timezone

SIM, LAUNCHER, EXCHANGE, RABBIT, WATCHER = (sys.argv[1:6] + [None] * 5)[:5]
SIM = SIM or "http://127.0.0.1:8085"
LAUNCHER = LAUNCHER or "http://127.0.0.1:8082"
EXCHANGE = EXCHANGE or "http://127.0.0.1:8083"
RABBIT = RABBIT or "http://127.0.0.1:15672"
LEASE_STARTS_IN = 4.0
TIMEOUT = 90.0


def call(method, url, body=None, headers=None, expect=(200,)):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json",
                                                                         "Accept": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            status, raw, hdrs = resp.status, resp.read(), resp.headers
    except urllib.error.HTTPError as e:
        status, raw, hdrs = e.code, e.read(), e.headers
    if status not in expect:
        raise SystemExit(f"{method} {url} -> {status} (expected {expect}): {raw[:500]!r}")
    try:
        return json.loads(raw) if raw else None, hdrs
    except ValueError:
        return raw.decode(), hdrs


def endpoint(token, kind):
    for svc in token["token"]["catalog"]:
        if svc["type"] == kind:
            for ep in svc["endpoints"]:
                if ep["interface"] == "public":
                    return ep["url"]
    raise SystemExit(f"no public {kind} endpoint in the catalog")


def blazar_date(t):
    return t.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def password_auth(user, password, project):
    return {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": user, "domain": {"name": "Default"}, "password": password}}},
        "scope": {"project": {"name": project, "domain": {"name": "Default"}}}}}


def main():
    auth, hdrs = call("POST", SIM + "/identity/v3/auth/tokens", password_auth("demo", "secret", "demo"), expect=(201,))
    user = {"X-Auth-Token": hdrs["X-Subject-Token"]}
    heat, blazar = endpoint(auth, "orchestration"), endpoint(auth, "reservation")
    name = "ci-cluster-%d" % int(time.time())
    template = {"heat_template_version": "2018-08-31",
                "parameters": {"reservation_id": {"type": "string", "default": "",
                                                  "description": "Blazar reservation to launch into"}},
                "resources": {"node": {"type": "OS::Nova::Server", "properties": {
                    "image": "CC-Ubuntu22.04", "flavor": "baremetal",
                    "scheduler_hints": {"reservation": {"get_param": "reservation_id"}}}}},
                "outputs": {}}
    created, _ = call("POST", heat + "/stacks", {"stack_name": name, "initialize": True, "template": template,
                                                 "parameters": {}}, user, expect=(201,))
    stack_id = created["stack"]["id"]
    shown, _ = call("GET", f"{heat}/stacks/{name}/{stack_id}", headers=user)
    assert shown["stack"]["stack_status"] == "INIT_COMPLETE", shown["stack"]["stack_status"]

    start = datetime.now(timezone.utc) + timedelta(seconds=LEASE_STARTS_IN)
    # Blazar dates have whole seconds: the lease really starts at the next whole second
    start = start.replace(microsecond=0) + timedelta(seconds=1)
    lease, _ = call("POST", blazar + "/leases", {
        "name": name, "start_date": blazar_date(start), "end_date": blazar_date(start + timedelta(hours=1)),
        "reservations": [{"resource_type": "physical:host", "min": 1, "max": 1, "hypervisor_properties": "",
                          "resource_properties": "", "on_start": "orchestration:" + stack_id}],
        "events": []}, user, expect=(201,))
    lease = lease["lease"]
    lease_id, reservation_id = lease["id"], lease["reservations"][0]["id"]
    plan, _ = call("POST", LAUNCHER + "/v1/bindings", {"lease_id": lease_id, "heat_stack_id": stack_id}, user,
                   expect=(201,))
    plan_id = plan["id"]

    deadline = time.time() + TIMEOUT
    status = None
    while time.time() < deadline:
        plan, _ = call("GET", f"{LAUNCHER}/v1/plans/{plan_id}", None, user)
        status = plan.get("stack_status")
        if status in ("COMPLETE", "FAILED"):
            break
        time.sleep(0.1)
    plan_done = datetime.now(timezone.utc)
    final, _ = call("GET", f"{heat}/stacks/{name}/{stack_id}", headers=user)
    final = final["stack"]
    notifications, _ = call("GET", SIM + "/sim/notifications")
    start_sent = None
    for n in notifications if isinstance(notifications, list) else []:
        text = json.dumps(n)
        if lease_id in text and "start_lease" in text:
            start_sent = n
    outcome = {"lease_id": lease_id, "reservation_id": reservation_id, "stack_id": stack_id, "plan_id": plan_id,
               "plan_status": status, "heat_status": final["stack_status"],
               "reservation_parameter": (final.get("parameters") or {}).get("reservation_id"),
               "lease_start_to_plan_complete_ms": int((plan_done - start).total_seconds() * 1000)}
    if status != "COMPLETE" or final["stack_status"] != "UPDATE_COMPLETE" \
            or outcome["reservation_parameter"] != reservation_id:
        print(json.dumps(outcome))
        raise SystemExit("lease did not reach UPDATE_COMPLETE with its reservation id: " + json.dumps(outcome))

    exercise(lease_id)
    if WATCHER:
        outcome["deferred_s"] = deferred_lookup(blazar, user)
        outcome["reconciler_s"] = lost_start(blazar, user)
    outcome["exchange"] = exchange_group()
    print(json.dumps(outcome))


def exercise(lease_id):
    # a redelivered start: counted as a duplicate, no second launch
    call("POST", f"{SIM}/sim/leases/{lease_id}/notify/lease.event.start_lease", expect=(200, 202, 204))
    # a notification lease-watcher must ignore, and one it cannot read (-> leaseflow.blazar-notifications.dlq)
    inner = json.dumps({"message_id": "ci-ignored", "publisher_id": "compute.host1", "event_type": "compute.instance.update",
                        "priority": "INFO", "payload": {}, "timestamp": "2026-01-01 00:00:00.000000"})
    for body in (json.dumps({"oslo.version": "2.0", "oslo.message": inner}), "this is not an oslo envelope"):
        routed, _ = call("POST", RABBIT + "/api/exchanges/%2F/openstack/publish", {
            "properties": {"content_type": "application/json", "delivery_mode": 2}, "routing_key": "notifications.info",
            "payload": body, "payload_encoding": "string"}, RABBIT_AUTH)
        if not routed.get("routed"):
            raise SystemExit("RabbitMQ routed no copy of the test notification to lease-watcher's queue")


RABBIT_AUTH = {"Authorization": "Basic " + base64.b64encode(b"guest:guest").decode()}
QUEUE_BINDING = RABBIT + "/api/bindings/%2F/e/openstack/q/leaseflow.blazar"


def watcher_total(name):
    """Sum of name's samples in lease-watcher's /q/metrics (0 while the meter does not exist)."""
    with urllib.request.urlopen(WATCHER + "/q/metrics", timeout=10) as r:
        text = r.read().decode()
    # an OpenTelemetry exemplar may follow the value: "... 1.0 # {trace_id=...} 1.0 <timestamp>"
    return sum(float(v) for v in re.findall(r"^" + name + r"(?:\{[^}]*\})? (\S+)(?: #.*)?$", text, re.M))


def watcher_counter(name, timeout, baseline):
    """Waits until lease-watcher's counter name exceeds baseline; the seconds it took."""
    t0 = time.time()
    while time.time() - t0 < timeout:
        if watcher_total(name) > baseline:
            return round(time.time() - t0, 1)
        time.sleep(0.5)
    raise SystemExit(f"lease-watcher's {name} did not grow within {timeout} s")


def new_lease(blazar, user, name, starts_in):
    start = (datetime.now(timezone.utc) + timedelta(seconds=starts_in)).replace(microsecond=0) + timedelta(seconds=1)
    lease, _ = call("POST", blazar + "/leases", {
        "name": name, "start_date": blazar_date(start), "end_date": blazar_date(start + timedelta(hours=1)),
        "reservations": [{"resource_type": "physical:host", "min": 1, "max": 1, "hypervisor_properties": "",
                          "resource_properties": ""}], "events": []}, user, expect=(201,))
    return lease["lease"]["id"]


def deferred_lookup(blazar, user):
    """Blazar answers 503 to lease-watcher's lookups (the first try and its 3 retries): the lease.create notification
    of a new lease is deferred to PostgreSQL and completed later (leaseflow_watcher_deferred_total)."""
    baseline = watcher_total("leaseflow_watcher_deferred_total")
    call("POST", SIM + "/sim/faults", {"service": "blazar", "method": "GET", "pathContains": "/leases/",
                                       "status": 503, "count": 4}, expect=(201,))
    try:
        new_lease(blazar, user, "ci-deferred-%d" % int(time.time()), 3600)
        return watcher_counter("leaseflow_watcher_deferred_total", 30, baseline)
    finally:
        call("DELETE", SIM + "/sim/faults", expect=(204,))


def lost_start(blazar, user):
    """lease-watcher's queue is unbound from the openstack exchange while a lease starts, so its start notification
    is lost; the reconciler's next pass finds the ACTIVE lease (leaseflow_reconciler_findings_total). The reconciler
    may also have found the main lease first (its pass can list it ACTIVE before the notification is processed): the
    counter must grow, not merely exist."""
    baseline = watcher_total("leaseflow_reconciler_findings_total")
    call("DELETE", QUEUE_BINDING + "/notifications.info", headers=RABBIT_AUTH, expect=(204,))
    try:
        lease_id = new_lease(blazar, user, "ci-lost-start-%d" % int(time.time()), 1)
        deadline = time.time() + 30
        while time.time() < deadline:
            lease, _ = call("GET", f"{blazar}/leases/{lease_id}", headers=user)
            if lease["lease"]["status"] == "ACTIVE":
                break
            time.sleep(0.2)
        else:
            raise SystemExit(f"lease {lease_id} did not start")
        sent = time.time() + 5
        while time.time() < sent:  # the start notification went out (to no queue)
            notifications, _ = call("GET", SIM + "/sim/notifications?event_type=lease.event.start_lease")
            if lease_id in json.dumps(notifications):
                break
            time.sleep(0.2)
    finally:
        call("POST", QUEUE_BINDING, {"routing_key": "notifications.info"}, RABBIT_AUTH, expect=(201,))
    return watcher_counter("leaseflow_reconciler_findings_total", 90, baseline)


def exchange_group():
    group, _ = call("POST", EXCHANGE + "/v1/groups", {"name": "ci-exchange", "size": 3, "outputs": ["hosts"],
                                                      "timeout_s": 120, "on_timeout": "fail"}, expect=(200, 201))
    gid, token = group["id"], group["join_token"]
    first = time.time()
    for i in range(3):
        call("PUT", f"{EXCHANGE}/v1/groups/{gid}/members/node-{i}", {"outputs": {"hosts": f"10.0.0.{i + 5} node-{i}"}},
             {"Authorization": "Bearer " + token}, expect=(200, 201, 202))
    inputs, _ = call("GET", f"{EXCHANGE}/v1/groups/{gid}/inputs?wait=10s", headers={"Authorization": "Bearer " + token})
    if inputs.get("status") != "COMPLETE" or len(inputs.get("inputs", {}).get("hosts", {})) != 3:
        raise SystemExit("hosts-exchange group did not complete: " + json.dumps(inputs))
    return {"group_id": gid, "members": 3, "complete_ms": int((time.time() - first) * 1000)}


if __name__ == "__main__":
    main()
