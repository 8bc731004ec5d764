#!/usr/bin/env python3
"""Validates vigie's exports against the published formats.

  validate_export.py stix SCHEMAS_DIR BUNDLE.json [EXTERNAL_REF...]
      every object of the bundle against the OASIS STIX 2.1 JSON schema of its type (schemas/
      {common,sdos,sros,observables}/<type>.json, their $refs resolved inside SCHEMAS_DIR), the
      bundle against common/bundle.json, and every *_ref / *_refs resolving to an object of the
      bundle (EXTERNAL_REF: ids that may stay outside it, the partners' own STIX indicators).
  validate_export.py misp MISP_CORE_FORMAT.md EVENT.json
      the event against the JSON schema the MISP core format document carries, and the keys that
      document says MUST be present (the schema itself requires none). The ids that only a MISP
      instance assigns (id, event_id, org_id, orgc_id: "human-readable identifier ... for a
      specific MISP instance") are left to the importing instance, as MISP feeds do.

Exit 0 when everything is valid, 1 with one line per problem otherwise.
"""
import json
import os
import sys

import jsonschema


def load_store(schemas_dir):
    store = {}
    for root, _, files in os.walk(schemas_dir):
        for name in files:
            if name.endswith(".json"):
                path = os.path.join(root, name)
                with open(path, encoding="utf-8") as f:
                    schema = json.load(f)
                store[schema.get("$id", "file://" + path)] = schema
                store["file://" + os.path.abspath(path)] = schema
    return store


def schema_path(schemas_dir, stix_type):
    for folder in ("sdos", "sros", "observables", "common"):
        path = os.path.join(schemas_dir, folder, stix_type + ".json")
        if os.path.exists(path):
            return path
    return None


def validator_for(path, store):
    """A validator of the schema at `path` whose $refs resolve among the schemas of `store`: with
    the `referencing` registry where jsonschema has it (4.18 and later), else with RefResolver
    (Debian 12's 4.10)."""
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    try:
        import referencing
        import referencing.jsonschema
    except ImportError:
        resolver = jsonschema.RefResolver(base_uri=schema.get("$id", "file://" + os.path.abspath(path)),
                                          referrer=schema, store=store)
        return cls(schema, resolver=resolver, format_checker=jsonschema.FormatChecker())
    registry = referencing.Registry().with_resources(
        (uri, referencing.Resource.from_contents(contents, default_specification=referencing.jsonschema.DRAFT202012))
        for uri, contents in store.items())
    return cls(schema, registry=registry, format_checker=jsonschema.FormatChecker())


def validate_stix(schemas_dir, bundle_path, external):
    problems = []
    store = load_store(schemas_dir)
    with open(bundle_path, encoding="utf-8") as f:
        bundle = json.load(f)
    for error in validator_for(os.path.join(schemas_dir, "common", "bundle.json"), store).iter_errors(bundle):
        problems.append("bundle: " + error.message)
    objects = bundle.get("objects", [])
    if not objects:
        problems.append("bundle: no objects")
    ids = {o.get("id") for o in objects}
    validators = {}
    for o in objects:
        t = o.get("type")
        path = schema_path(schemas_dir, t)
        if path is None:
            problems.append("%s: no schema for type %r" % (o.get("id"), t))
            continue
        if t not in validators:
            validators[t] = validator_for(path, store)
        for error in validators[t].iter_errors(o):
            problems.append("%s: %s at %s" % (o.get("id"), error.message, "/".join(map(str, error.absolute_path))))
        for key, value in o.items():
            refs = [value] if key.endswith("_ref") else value if key.endswith("_refs") else []
            for ref in refs:
                if ref not in ids and ref not in external:
                    problems.append("%s: %s %s is not in the bundle" % (o.get("id"), key, ref))
    return problems, len(objects)


EVENT_MUST = ["uuid", "published", "info", "threat_level_id", "analysis", "date", "timestamp",
              "publish_timestamp", "distribution", "Orgc"]
ATTRIBUTE_MUST = ["uuid", "type", "category", "to_ids", "distribution", "timestamp", "deleted", "value"]
SIGHTING_MUST = ["type", "uuid", "date_sighting"]


def misp_schema(spec_path):
    with open(spec_path, encoding="utf-8") as f:
        text = f.read()
    block = text[text.index("# JSON Schema"):].split("~~~~")[1]
    return json.loads(block)


def validate_misp(spec_path, event_path):
    problems = []
    schema = misp_schema(spec_path)
    with open(event_path, encoding="utf-8") as f:
        document = json.load(f)
    for error in jsonschema.Draft4Validator(schema).iter_errors(document):
        problems.append("schema: %s at %s" % (error.message, "/".join(map(str, error.absolute_path))))
    event = document.get("Event", {})
    problems += ["Event: no %s" % key for key in EVENT_MUST if key not in event]
    if "uuid" not in event.get("Orgc", {}):
        problems.append("Event.Orgc: no uuid")
    attributes = event.get("Attribute", [])
    if not attributes:
        problems.append("Event: no attributes")
    for a in attributes:
        problems += ["Attribute %s: no %s" % (a.get("value"), key) for key in ATTRIBUTE_MUST if key not in a]
        for s in a.get("Sighting", []):
            problems += ["Sighting of %s: no %s" % (a.get("value"), key) for key in SIGHTING_MUST if key not in s]
    return problems, len(attributes)


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "stix":
        problems, count = validate_stix(sys.argv[2], sys.argv[3], set(sys.argv[4:]))
    elif len(sys.argv) == 4 and sys.argv[1] == "misp":
        problems, count = validate_misp(sys.argv[2], sys.argv[3])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for p in problems:
        print(p)
    print("%s: %d checked, %d problems" % (sys.argv[1], count, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
