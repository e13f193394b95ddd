#!/usr/bin/env python3
"""Drives one lease through a running leaseflow stack, as LaunchStory does in the demo: an INIT_COMPLETE Heat stack,
a Blazar lease with a physical:host reservation starting in a few seconds, POST /v1/bindings on stack-launcher, then
waits for the plan to be COMPLETE and the Heat stack UPDATE_COMPLETE with the reservation's id.

Afterwards it exercises the paths whose meters exist only once used (a redelivered start -> duplicate, an unrelated
notification -> ignored, an unreadable one -> DLQ, a hosts-exchange group of 3 members), so that every metric a
dashboard or alert names is present in /q/metrics. Prints one JSON object with the outcome and the latencies."""
import base64, json, sys, time, urllib.request, urllib.error
from datetime import datetime, timedelta, timezone

SIM, LAUNCHER, EXCHANGE, RABBIT = (sys.argv[1:5] + [None] * 4)[:4] if len(sys.argv) > 1 else (None,) * 4
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
        plan, _ = call("GET", f"{LAUNCHER}/v1/plans/{plan_id}")
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
    outcome["exchange"] = exchange_group()
    print(json.dumps(outcome))


def exercise(lease_id):
    # a redelivered start: counted as a duplicate, no second launch
    call("POST", f"{SIM}/sim/leases/{lease_id}/notify/lease.event.start_lease", expect=(200, 202, 204))
    # a notification lease-watcher must ignore, and one it cannot read (-> leaseflow.blazar-notifications.dlq)
    inner = json.dumps({"message_id": "ci-ignored", "publisher_id": "compute.host1", "event_type": "compute.instance.update",
                        "priority": "INFO", "payload": {}, "timestamp": "2026-01-01 00:00:00.000000"})
    for body in (json.dumps({"oslo.version": "2.0", "oslo.message": inner}), "this is not an oslo envelope"):
        auth = base64.b64encode(b"guest:guest").decode()
        routed, _ = call("POST", RABBIT + "/api/exchanges/%2F/openstack/publish", {
            "properties": {"content_type": "application/json", "delivery_mode": 2}, "routing_key": "notifications.info",
            "payload": body, "payload_encoding": "string"}, {"Authorization": "Basic " + auth})
        if not routed.get("routed"):
            raise SystemExit("RabbitMQ routed no copy of the test notification to lease-watcher's queue")


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
