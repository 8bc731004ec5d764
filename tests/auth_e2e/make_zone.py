#!/usr/bin/python3
"""One zone, two servers: writes the recorded zone (for vigie --dns-zone) and the unbound
local-zone/local-data lines (for the unbound server of the test) from the same YAML, so that both
modes serve identical data.

Usage: make_zone.py TEMPLATE.yaml DKIM_PUBLIC_KEY_B64 OUT_ZONE.yaml OUT_UNBOUND.conf

Adds the DKIM key record sel._domainkey.example.test. Every TXT value is written as a list of
character-strings of at most 255 bytes (RFC 1035 §3.3.14), in both outputs, so that a long value
(the DKIM key) is split at the same places. Names under a "deny" zone must be TIMEOUT in the YAML:
unbound drops their queries, which is what TIMEOUT means to the recorded resolver.
"""
import sys

import yaml

ZONES = {"example.test": "static", "slow.test": "deny", "test-dnsbl.example": "static"}
TTL = 300


def chunks(text):
    data = text.encode()
    return [data[i:i + 255].decode() for i in range(0, len(data), 255)] or [""]


def quoted(s):
    if "'" in s or "\n" in s:
        raise SystemExit(f"make_zone: cannot write {s!r} in local-data")
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def zone_of(name):
    for zone, kind in ZONES.items():
        if name == zone or name.endswith("." + zone):
            return zone, kind
    raise SystemExit(f"make_zone: {name} is in no zone of {sorted(ZONES)}")


def main():
    template, dkim_key, out_zone, out_conf = sys.argv[1:5]
    with open(template) as f:
        zone = yaml.safe_load(f)
    zone["sel._domainkey.example.test"] = [{"TXT": f"v=DKIM1; k=rsa; p={dkim_key}"}]

    recorded = {}
    lines = []
    for zone_name, kind in ZONES.items():
        lines.append(f'local-zone: "{zone_name}." {kind}')
        if kind == "static":
            lines.append(f'local-data: "{zone_name}. {TTL} IN SOA ns.{zone_name}. '
                         f'hostmaster.{zone_name}. 1 3600 600 86400 {TTL}"')
    for name, records in zone.items():
        _, kind = zone_of(name)
        out = []
        for record in records:
            if record == "TIMEOUT":
                if kind != "deny":
                    raise SystemExit(f"make_zone: TIMEOUT at {name} needs a deny zone")
                out.append("TIMEOUT")
                continue
            if kind == "deny":
                raise SystemExit(f"make_zone: {name} is in a deny zone: only TIMEOUT fits")
            ((rtype, value),) = record.items()
            owner = f"{name}. {TTL} IN {rtype}"
            if rtype == "TXT":
                pieces = [p for v in (value if isinstance(value, list) else [value])
                          for p in chunks(v)]
                out.append({"TXT": pieces})
                lines.append(f"local-data: '{owner} {' '.join(quoted(p) for p in pieces)}'")
            elif rtype in ("A", "AAAA"):
                out.append({rtype: value})
                lines.append(f"local-data: '{owner} {value}'")
            elif rtype == "MX":
                preference, exchange = value
                out.append({"MX": [preference, exchange]})
                lines.append(f"local-data: '{owner} {preference} {exchange}.'")
            elif rtype in ("CNAME", "PTR"):
                out.append({rtype: value})
                lines.append(f"local-data: '{owner} {value}.'")
            else:
                raise SystemExit(f"make_zone: record type {rtype} at {name} is not supported")
        recorded[name] = out
    with open(out_zone, "w") as f:
        yaml.safe_dump(recorded, f, sort_keys=False, width=10000)
    with open(out_conf, "w") as f:
        f.write("\n".join("  " + line for line in lines) + "\n")


main()
