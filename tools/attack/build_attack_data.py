#!/usr/bin/env python3
"""Builds vigie's ATT&CK data file from the ATT&CK Enterprise STIX 2.1 core bundle.

Usage:
    python3 tools/attack/build_attack_data.py ../shared/attack/enterprise-attack-core.json \
        --attack-version 18.1 --out data/attack/enterprise-attack.json

Reads the bundle (see ../shared/attack/README.md: revoked and deprecated objects are already
dropped there) and LICENSE-ATTACK.txt beside it (for MITRE's copyright designation), and writes
only what the engine reads (src/intel/attack/attack_knowledge.h):

    {"format": 1, "attack_version": "18.1", "domain": "enterprise-attack",
     "copyright": "<MITRE's designation from LICENSE-ATTACK.txt>",
     "marking": "<the bundle's marking-definition statement>",
     "tactics": [{"id": "TA0001", "shortname": "initial-access", "name": "Initial Access"}, ...],
     "techniques": [{"id": "T1566.002", "name": ..., "tactics": [shortname...], "parent": "T1566"}, ...],
     "intrusion_sets": [{"id": "G0007", "name": "APT28", "aliases": [...],
                         "techniques": [...], "software": ["S...", ...]}, ...],
     "campaigns": [{"id": "C0001", "name": ..., "aliases": [...], "attributed_to": ["G..."],
                    "techniques": [...], "software": [...]}, ...],
     "software": [{"id": "S0001", "name": ..., "type": "malware"|"tool", "aliases": [...],
                   "techniques": [...]}, ...]}

Objects are referred to by their ATT&CK ids, not STIX ids. Every list is sorted, and there is one
record per line, so the same bundle always gives a byte-identical file that diffs line by line.
"parent" is present only on sub-techniques; "techniques" of a set are the ones it `uses` directly
(campaigns attributed to it are listed in campaigns; the loader joins them).

Python 3 standard library only. Exits non-zero with a message on a missing or inconsistent input
(an ATT&CK id missing, a relationship to an object not in the bundle, no copyright line).
"""

import argparse
import json
import re
import sys
from pathlib import Path

FORMAT = 1
DOMAIN = "enterprise-attack"
# The quoted designation in MITRE's license text: "© <year> The MITRE Corporation. ..."
COPYRIGHT_RE = re.compile(r'"(© \d{4} The MITRE Corporation\.[^"]*)"')
ID_FORMS = {
    "x-mitre-tactic": re.compile(r"^TA\d{4}$"),
    "attack-pattern": re.compile(r"^T\d{4}(\.\d{3})?$"),
    "intrusion-set": re.compile(r"^G\d{4}$"),
    "campaign": re.compile(r"^C\d{4}$"),
    "malware": re.compile(r"^S\d{4}$"),
    "tool": re.compile(r"^S\d{4}$"),
}


class InputError(Exception):
    pass


def attack_id(obj):
    for ref in obj.get("external_references", []):
        if ref.get("source_name") == "mitre-attack" and "external_id" in ref:
            external = ref["external_id"]
            if not ID_FORMS[obj["type"]].match(external):
                raise InputError(f"{obj['id']}: ATT&CK id {external!r} is not of the form for {obj['type']}")
            return external
    raise InputError(f"{obj['id']} ({obj.get('name', '?')}): no mitre-attack external id")


def read_copyright(license_path):
    try:
        text = license_path.read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(f"{license_path}: {e.strerror}") from e
    match = COPYRIGHT_RE.search(text)
    if not match:
        raise InputError(f"{license_path}: no quoted '© <year> The MITRE Corporation. ...' designation")
    return match.group(1)


def build(bundle, attack_version, copyright_line):
    by_stix = {}
    marking = None
    for obj in bundle.get("objects", []):
        kind = obj.get("type")
        if kind == "marking-definition":
            marking = obj.get("definition", {}).get("statement")
        elif kind in ID_FORMS:
            by_stix[obj["id"]] = (kind, attack_id(obj), obj)
    if not marking:
        raise InputError("the bundle has no marking-definition statement (MITRE's copyright)")

    uses = {}        # source ATT&CK id -> set of target ATT&CK ids
    parent = {}      # sub-technique id -> technique id
    attributed = {}  # campaign id -> set of intrusion set ids
    for obj in bundle.get("objects", []):
        if obj.get("type") != "relationship":
            continue
        relation = obj["relationship_type"]
        if relation not in ("uses", "subtechnique-of", "attributed-to"):
            continue
        for end in ("source_ref", "target_ref"):
            if obj[end] not in by_stix:
                raise InputError(f"{obj['id']}: {end} {obj[end]} is not a kept object of the bundle")
        _, source, _ = by_stix[obj["source_ref"]]
        _, target, _ = by_stix[obj["target_ref"]]
        if relation == "uses":
            uses.setdefault(source, set()).add(target)
        elif relation == "subtechnique-of":
            parent[source] = target
        else:
            attributed.setdefault(source, set()).add(target)

    def of_kind(*kinds):
        found = [(a, o) for (k, a, o) in by_stix.values() if k in kinds]
        return sorted(found, key=lambda item: item[0])

    def used(source, prefix):
        return sorted(t for t in uses.get(source, ()) if t.startswith(prefix))

    def aliases(obj, field):
        # ATT&CK lists the primary name first among the aliases; it is already "name".
        return [a for a in obj.get(field, []) if a != obj["name"]]

    tactics = [{"id": a, "shortname": o["x_mitre_shortname"], "name": o["name"]}
               for a, o in of_kind("x-mitre-tactic")]
    known_tactics = {t["shortname"] for t in tactics}

    techniques = []
    for a, o in of_kind("attack-pattern"):
        phases = [p["phase_name"] for p in o.get("kill_chain_phases", [])
                  if p.get("kill_chain_name") == "mitre-attack"]
        for phase in phases:
            if phase not in known_tactics:
                raise InputError(f"{a}: tactic {phase!r} is not in the bundle")
        record = {"id": a, "name": o["name"], "tactics": phases}
        if a in parent:
            record["parent"] = parent[a]
        elif "." in a:
            raise InputError(f"{a}: a sub-technique without a subtechnique-of relationship")
        techniques.append(record)

    intrusion_sets = [{"id": a, "name": o["name"], "aliases": aliases(o, "aliases"),
                       "techniques": used(a, "T"), "software": used(a, "S")}
                      for a, o in of_kind("intrusion-set")]
    campaigns = [{"id": a, "name": o["name"], "aliases": aliases(o, "aliases"),
                  "attributed_to": sorted(attributed.get(a, ())),
                  "techniques": used(a, "T"), "software": used(a, "S")}
                 for a, o in of_kind("campaign")]
    software = [{"id": a, "name": o["name"], "type": o["type"], "aliases": aliases(o, "x_mitre_aliases"),
                 "techniques": used(a, "T")}
                for a, o in of_kind("malware", "tool")]

    return {"format": FORMAT, "attack_version": attack_version, "domain": DOMAIN,
            "copyright": copyright_line, "marking": marking, "tactics": tactics,
            "techniques": techniques, "intrusion_sets": intrusion_sets, "campaigns": campaigns,
            "software": software}


def render(data):
    """One record per line: greppable, and a new release diffs object by object."""
    def dump(value):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    lines = ["{"]
    scalars = [k for k, v in data.items() if not isinstance(v, list)]
    lists = [k for k, v in data.items() if isinstance(v, list)]
    for key in scalars:
        lines.append(f"{dump(key)}:{dump(data[key])},")
    for i, key in enumerate(lists):
        records = data[key]
        lines.append(f"{dump(key)}:[")
        lines.extend(dump(r) + ("," if j + 1 < len(records) else "") for j, r in enumerate(records))
        lines.append("]" + ("," if i + 1 < len(lists) else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path, help="enterprise-attack-core.json (STIX 2.1 bundle)")
    parser.add_argument("--attack-version", required=True,
                        help="the ATT&CK release the bundle was cut from, e.g. 18.1 (not in the bundle)")
    parser.add_argument("--license", type=Path,
                        help="MITRE's license text (default: LICENSE-ATTACK.txt beside the bundle)")
    parser.add_argument("--out", type=Path, required=True, help="data file to write")
    args = parser.parse_args(argv)
    if not re.match(r"^\d+\.\d+$", args.attack_version):
        parser.error(f"--attack-version {args.attack_version!r}: expected MAJOR.MINOR, e.g. 18.1")
    license_path = args.license or args.bundle.parent / "LICENSE-ATTACK.txt"
    try:
        try:
            with args.bundle.open(encoding="utf-8") as f:
                bundle = json.load(f)
        except OSError as e:
            raise InputError(f"{args.bundle}: {e.strerror}") from e
        except json.JSONDecodeError as e:
            raise InputError(f"{args.bundle}: not JSON ({e})") from e
        if bundle.get("type") != "bundle":
            raise InputError(f"{args.bundle}: not a STIX bundle")
        data = build(bundle, args.attack_version, read_copyright(license_path))
    except InputError as e:
        print(f"build_attack_data: {e}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(data), encoding="utf-8")
    counts = ", ".join(f"{len(data[k])} {k}" for k in data if isinstance(data[k], list))
    print(f"build_attack_data: ATT&CK v{args.attack_version}: {counts} -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
