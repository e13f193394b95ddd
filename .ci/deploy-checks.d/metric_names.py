#!/usr/bin/env python3
"""Metric names used by the Grafana dashboards and the alert rules, checked against what the services expose.

  metric_names.py list                        print every metric name a panel or alert uses, with the label names
                                              the queries need on it
  metric_names.py exposed URL...              fail unless each name is in the union of the live /q/metrics at URL...
                                              and carries every label name a query matches or groups by on it
  metric_names.py prometheus URL              fail unless Prometheus has a series for each name, with those labels

Label names: a matcher name{l="..."} needs l on that series; by/without/on/ignoring (l, ...) needs l on at least one
series of the (sub)expression it groups. The scrape's target labels (job, instance, service) count as present.
  metric_names.py same-rules RULES PROMRULE   fail unless the PrometheusRule's groups equal the rules file's
  metric_names.py prometheusrule RULES        print the PrometheusRule for the rules file (> deploy/k8s/base/prometheusrule.yaml)
"""
import glob, json, os, re, sys, time, urllib.parse, urllib.request
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# series Prometheus makes itself, not the services
SYNTHETIC = {"up", "ALERTS", "ALERTS_FOR_STATE", "scrape_duration_seconds", "scrape_samples_scraped"}
# labels Prometheus adds to every scraped series (deploy/prometheus/prometheus.yml; the ServiceMonitor likewise)
TARGET_LABELS = {"job", "instance", "service"}
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset",
            "inf", "nan", "atan2"}


def queries():
    """(where, expr) for every dashboard target and every alert rule."""
    for path in sorted(glob.glob(os.path.join(ROOT, "deploy/grafana/dashboards/*.json"))):
        dash = json.load(open(path))
        for panel in dash.get("panels", []):
            for t in panel.get("targets", []):
                yield f"{os.path.basename(path)} / {panel['title']}", t["expr"]
        for var in dash.get("templating", {}).get("list", []):
            q = var.get("query")
            if isinstance(q, dict) and q.get("query", "").startswith("label_values("):
                yield f"{os.path.basename(path)} / ${var['name']}", q["query"][len("label_values("):-1].rsplit(",", 1)[0]
    for path in sorted(glob.glob(os.path.join(ROOT, "deploy/prometheus/rules/*.yml"))):
        for group in yaml.safe_load(open(path))["groups"]:
            for rule in group["rules"]:
                yield f"{os.path.basename(path)} / {rule.get('alert') or rule.get('record')}", rule["expr"]


NAME = r"(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)"
GROUPING = r"\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)"


def _blank(expr):
    """expr with string literals emptied (same length: offsets stay valid)."""
    return re.sub(r'"(?:[^"\\]|\\.)*"', lambda m: '"' + " " * (len(m.group(0)) - 2) + '"', expr)


def names_in(expr):
    return set(requirements(expr)[0])


def _names(e):
    """{name: [offset]} of the metric names in e (string literals already blanked)."""
    e = re.sub(r"\{[^}]*\}", lambda m: " " * len(m.group(0)), e)     # label matchers
    e = re.sub(r"\[[^\]]*\]", lambda m: " " * len(m.group(0)), e)    # ranges, [$__rate_interval]
    e = re.sub(GROUPING, lambda m: " " * len(m.group(0)), e)
    e = re.sub(r"\$\{?\w+\}?", lambda m: " " * len(m.group(0)), e)   # Grafana variables
    found = {}
    for m in re.finditer(NAME + r"(\s*\()?", e):
        name, call = m.group(1), m.group(2)
        if call or name in KEYWORDS or re.fullmatch(r"\d+[smhdwy]", name) or re.fullmatch(r"\d.*", name):
            continue
        found.setdefault(name, []).append(m.start(1))
    return found


def _group_span(e, at, forward):
    """The balanced (...) starting at/after offset at (forward) or ending before it (backward)."""
    if forward:
        i = e.find("(", at)
        if i < 0:
            return None
        depth = 0
        for j in range(i, len(e)):
            depth += {"(": 1, ")": -1}.get(e[j], 0)
            if depth == 0:
                return i, j + 1
    else:
        j = e.rfind(")", 0, at)
        if j < 0:
            return None
        depth = 0
        for i in range(j, -1, -1):
            depth += {")": 1, "(": -1}.get(e[i], 0)
            if depth == 0:
                return i, j + 1
    return None


def requirements(expr):
    """({name: set(label names matched on it)}, [(label names, {names of the grouped subexpression})])."""
    e = _blank(expr)
    names = _names(e)
    need = {n: set() for n in names}
    for n, offsets in names.items():
        for off in offsets:
            rest = e[off + len(n):]
            m = re.match(r"\s*\{([^}]*)\}", rest)
            if m:
                need[n] |= set(re.findall(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)", m.group(1))) - {"__name__"}
    groups = []
    for m in re.finditer(GROUPING, e):
        labels = {l.strip() for l in m.group(2).split(",") if l.strip()}
        if not labels:
            continue
        # aggregation: 'sum by (l) (expr)' groups what follows, 'sum(expr) by (l)' what precedes;
        # on/ignoring/group_*: both operands, i.e. the whole expression
        span = None
        if m.group(1) in ("by", "without"):
            after = e[m.end():].lstrip()
            span = _group_span(e, m.end(), True) if after.startswith("(") else _group_span(e, m.start(), False)
        inside = {n for n, offs in names.items() if any(span is None or span[0] <= o < span[1] for o in offs)}
        groups.append((labels, inside))
    return need, groups


def used():
    """{name: [where]}, {name: {label: [where]}}, [(where, labels, names)] over every query."""
    table, labels, grouped = {}, {}, []
    for where, expr in queries():
        need, groups = requirements(expr)
        if not need:
            sys.exit(f"no metric name found in {where}: {expr}")
        for n, ls in need.items():
            table.setdefault(n, []).append(where)
            for l in ls:
                labels.setdefault(n, {}).setdefault(l, []).append(where)
        for ls, inside in groups:
            grouped.append((where, ls, inside))
    return table, labels, grouped


def label_problems(table, labels, grouped, live):
    """Messages for label names a query needs but no series has; live = {name: set(label names)}."""
    problems = []
    for n, ls in sorted(labels.items()):
        have = live.get(n, set()) | TARGET_LABELS
        for l, where in sorted(ls.items()):
            if n in live and l not in have:
                problems.append(f"LABEL {n} has no label '{l}' ({', '.join(sorted(live[n] - {'__name__'}))}): "
                                f"used by {', '.join(where)}")
    for where, ls, inside in grouped:
        known = [n for n in inside if n in live]
        if not known:
            continue
        have = set().union(*(live[n] for n in known)) | TARGET_LABELS
        for l in sorted(ls - have):
            problems.append(f"LABEL {where} groups by '{l}', which none of {', '.join(sorted(known))} has")
    return problems


def scrape(url):
    """{metric name: set(label names)} of one service's live /q/metrics (Prometheus text format)."""
    with urllib.request.urlopen(url, timeout=10) as r:
        text = r.read().decode()
    series = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            # labels up to the first "}": an OpenTelemetry exemplar may follow the value ("# {trace_id=...}")
            m = re.match(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?:[^"}]|"(?:[^"\\]|\\.)*")*)\})?', line)
            ls = series.setdefault(m.group(1), set())
            if m.group(3):
                ls |= set(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"', m.group(3)))
    return series


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    table, labels, grouped = used()
    missing, problems = [], []
    if cmd == "list":
        for n in sorted(table):
            ls = sorted(labels.get(n, {}))
            print(n + (f"  {{{', '.join(ls)}}}" if ls else ""))
        return
    if cmd == "exposed":
        # Micrometer's Kafka binder picks up client metrics that appear later (per-partition consumer lag, once a
        # partition was fetched) on a 60 s refresh: scrape again until nothing is missing, 90 s at most.
        deadline = time.time() + 90
        while True:
            live = {}
            for u in args:
                for n, ls in scrape(u).items():
                    live.setdefault(n, set()).update(ls)
            for n in SYNTHETIC:
                live.setdefault(n, set())
            missing = [n for n in sorted(table) if n not in live]
            problems = label_problems(table, labels, grouped, live)
            if not (missing or problems) or time.time() > deadline:
                break
            time.sleep(5)
        print(f"{len(table)} metric names in dashboards and alerts; {len(live)} exposed by {len(args)} services; "
              f"{sum(len(v) for v in labels.values())} matched and {len(grouped)} grouping label uses checked")
    elif cmd == "prometheus":
        deadline = time.time() + 60
        pending, live = sorted(table), {}
        while pending and time.time() < deadline:
            still = []
            for n in pending:
                q = urllib.parse.urlencode({"match[]": f'{{__name__="{n}"}}', "start": f"{time.time() - 600:.0f}"})
                res = json.load(urllib.request.urlopen(f"{args[0]}/api/v1/series?{q}", timeout=10))["data"]
                if res:
                    live[n] = set().union(*(set(r) for r in res)) - {"__name__"}
                else:
                    still.append(n)
            pending = still
            if pending:
                time.sleep(2)
        missing = pending
        problems = label_problems(table, labels, grouped, live)
        print(f"Prometheus has series for {len(table) - len(missing)} of {len(table)} metric names")
    elif cmd == "prometheusrule":
        doc = {"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule", "metadata": {"name": "leaseflow"},
               "spec": {"groups": yaml.safe_load(open(args[0]))["groups"]}}
        print("# Generated from deploy/prometheus/rules/leaseflow.rules.yml by .ci/deploy-checks.d/metric_names.py prometheusrule"
              " (same groups); .ci/deploy-checks fails when they differ.")
        print(yaml.safe_dump(doc, sort_keys=False, width=1000, allow_unicode=True), end="")
        return
    elif cmd == "same-rules":
        rules = yaml.safe_load(open(args[0]))
        crd = yaml.safe_load(open(args[1]))
        if crd["spec"] != rules:
            sys.exit(f"{args[1]} differs from {args[0]}: regenerate it (see its first line)")
        print("PrometheusRule matches the rules file")
        return
    for n in missing:
        print(f"MISSING {n}: used by {', '.join(table[n])}")
    for p in problems:
        print(p)
    sys.exit(1 if missing or problems else 0)


if __name__ == "__main__":
    main()
