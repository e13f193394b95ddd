#!/usr/bin/env python3
"""Metric names used by the Grafana dashboards and the alert rules, checked against what the services expose.

  metric_names.py list                        print every metric name a panel or alert uses (one per line)
  metric_names.py exposed URL...              fail unless each name is in the union of the live /q/metrics at URL...
  metric_names.py prometheus URL              fail unless Prometheus has a series for each name
  metric_names.py same-rules RULES PROMRULE   fail unless the PrometheusRule's groups equal the rules file's
"""
import glob, json, os, re, sys, time, urllib.parse, urllib.request
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# series Prometheus makes itself, not the services
SYNTHETIC = {"up", "ALERTS", "ALERTS_FOR_STATE", "scrape_duration_seconds", "scrape_samples_scraped"}
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


def names_in(expr):
    e = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)              # string literals (label values, regexes)
    e = re.sub(r"\{[^}]*\}", "", e)                            # label matchers
    e = re.sub(r"\[[^\]]*\]", "", e)                           # ranges, [$__rate_interval]
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", e)
    e = re.sub(r"\$\{?\w+\}?", " ", e)                         # Grafana variables
    found = set()
    for m in re.finditer(r"(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?", e):
        name, call = m.group(1), m.group(2)
        if call or name in KEYWORDS or re.fullmatch(r"\d+[smhdwy]", name):
            continue
        found.add(name)
    return found


def used():
    table = {}
    for where, expr in queries():
        names = names_in(expr)
        if not names:
            sys.exit(f"no metric name found in {where}: {expr}")
        for n in names:
            table.setdefault(n, []).append(where)
    return table


def scrape(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        text = r.read().decode()
    names = set()
    for line in text.splitlines():
        if line and not line.startswith("#"):
            names.add(re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", line).group(0))
    return names


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    table = used()
    missing = []
    if cmd == "list":
        print("\n".join(sorted(table)))
        return
    if cmd == "exposed":
        live = set().union(*(scrape(u) for u in args)) | SYNTHETIC
        missing = [n for n in sorted(table) if n not in live]
        print(f"{len(table)} metric names in dashboards and alerts; {len(live)} exposed by {len(args)} services")
    elif cmd == "prometheus":
        deadline = time.time() + 60
        pending = sorted(table)
        while pending and time.time() < deadline:
            still = []
            for n in pending:
                q = urllib.parse.urlencode({"query": f'count({{__name__="{n}"}})'})
                res = json.load(urllib.request.urlopen(f"{args[0]}/api/v1/query?{q}", timeout=10))["data"]["result"]
                if not res:
                    still.append(n)
            pending = still
            if pending:
                time.sleep(2)
        missing = pending
        print(f"Prometheus has series for {len(table) - len(missing)} of {len(table)} metric names")
    elif cmd == "same-rules":
        rules = yaml.safe_load(open(args[0]))
        crd = yaml.safe_load(open(args[1]))
        if crd["spec"] != rules:
            sys.exit(f"{args[1]} differs from {args[0]}: regenerate it (see its first line)")
        print("PrometheusRule matches the rules file")
        return
    for n in missing:
        print(f"MISSING {n}: used by {', '.join(table[n])}")
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    main()
