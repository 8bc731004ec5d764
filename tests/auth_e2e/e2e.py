#!/usr/bin/python3
"""Helpers of auth_unbound_test.sh (run with Debian's /usr/bin/python3: python3-dkim, python3-yaml).

  e2e.py messages KEY.pem OUTDIR     writes the test messages, DKIM-signed with KEY.pem, into
                                     OUTDIR/main, OUTDIR/timeout and OUTDIR/relay
  e2e.py dkim-check PORT MESSAGE     verifies MESSAGE's signature with the key served on
                                     127.0.0.1:PORT (proves the split TXT record is the key)
  e2e.py compare LIVE RECORDED [--any]
                                     the auth objects of two `vigie scan --format jsonl` outputs
                                     must be identical, and (without --any) SPF must give the
                                     results of CASES
  e2e.py expect OUTPUT RESULT TEXT   every message of OUTPUT has SPF RESULT and TEXT in its reason

The client IP of every message is 192.0.2.10, its HELO mail.example.test; the zone is zone.yaml.
"""
import difflib
import json
import os
import subprocess
import sys

import dkim

# name: (Return-Path, From, expected SPF result). The Return-Path stands for MAIL FROM.
CASES = {
    "apex": ("a@example.test", "ceo@example.test", "pass"),
    "pass": ("a@pass.example.test", "ceo@example.test", "pass"),
    "fail": ("a@fail.example.test", "ceo@example.test", "fail"),
    "softfail": ("a@softfail.example.test", "ceo@example.test", "softfail"),
    "neutral": ("a@neutral.example.test", "ceo@example.test", "neutral"),
    "include": ("a@include.example.test", "ceo@example.test", "pass"),
    "a": ("a@a.example.test", "ceo@example.test", "pass"),
    "mx": ("a@mx.example.test", "ceo@example.test", "pass"),
    "cname": ("a@alias.example.test", "ceo@example.test", "pass"),
    "exists": ("a@exists.example.test", "ceo@example.test", "pass"),
    "split": ("a@split.example.test", "ceo@example.test", "pass"),
    "permerror": ("a@broken.example.test", "ceo@example.test", "permerror"),
    "nxdomain": ("a@nowhere.example.test", "ceo@example.test", "none"),
    "helo": ("", "postmaster@example.test", "none"),  # null reverse-path: HELO, which has no SPF
    "foreign": ("a@pass.example.test", "boss@other.test", "pass"),  # DMARC: no record
}


def signed(raw, key):
    signature = dkim.sign(raw, b"sel", b"example.test", key,
                          include_headers=[b"from", b"to", b"subject", b"date", b"message-id"])
    return signature + raw


def write_messages(key_path, out):
    key = open(key_path, "rb").read()
    for sub in ("main", "timeout", "relay"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)

    def write(sub, name, parts):
        trace, content = parts
        with open(os.path.join(out, sub, name + ".eml"), "wb") as f:
            f.write(trace + signed(content, key))

    for name, (return_path, sender, _) in CASES.items():
        write("main", name, build(name, return_path, sender))
    write("timeout", "timeout", build("timeout", "a@timeout.example.test", "ceo@example.test"))
    # Our MX received it from our filter (10.0.0.5), which received it from the sender (192.0.2.10).
    received = ("Received: from filter.mairie-exemple.fr (filter.mairie-exemple.fr [10.0.0.5])\r\n"
                "\tby mx.mairie-exemple.fr with ESMTP id A1; Mon, 16 Nov 2026 08:00:02 +0100\r\n"
                "Received: from mail.example.test (mail.example.test [192.0.2.10])\r\n"
                "\tby filter.mairie-exemple.fr with ESMTPS id B2; Mon, 16 Nov 2026 08:00:01 +0100")
    write("relay", "relay", build("relay", "a@pass.example.test", "ceo@example.test", received))


def build(name, return_path, sender, received=None):
    """The message as delivered: trace fields (Return-Path, Received) added on top of the signed
    message by the servers on the way, as they would be."""
    content = [
        f"From: <{sender}>",
        "To: <agent@mairie-exemple.fr>",
        f"Subject: auth e2e {name}",
        "Date: Mon, 16 Nov 2026 08:00:00 +0100",
        f"Message-ID: <{name}.e2e@example.test>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "",
        f"Message {name} of the live/recorded DNS comparison.",
        "",
    ]
    trace = [f"Return-Path: <{return_path}>"] + ([received] if received else [])
    return ("\r\n".join(trace) + "\r\n").encode(), "\r\n".join(content).encode()


def dkim_check(port, path):
    def dnsfunc(name, timeout=5):
        name = name.decode() if isinstance(name, bytes) else name
        out = subprocess.run(["dig", "+short", "+time=2", "+tries=1", "-p", port, "@127.0.0.1",
                              name.rstrip("."), "TXT"], capture_output=True, text=True, check=True)
        # dig prints the character-strings of one record quoted and space-separated.
        strings = json.loads("[" + out.stdout.strip().replace('" "', '", "') + "]")
        assert len(strings) >= 2, f"the key record should be split, got {len(strings)} string(s)"
        assert all(len(s) <= 255 for s in strings)
        return "".join(strings).encode()

    raw = open(path, "rb").read()
    if not dkim.verify(raw, dnsfunc=dnsfunc):
        raise SystemExit(f"{path}: DKIM signature does not verify against the served key")


def auth_by_file(path):
    rows = {}
    for line in open(path):
        row = json.loads(line)
        rows[os.path.basename(row["file"])] = row["auth"]
    return rows


def compare(live_path, recorded_path, any_results=False):
    live, recorded = auth_by_file(live_path), auth_by_file(recorded_path)
    failed = False
    if sorted(live) != sorted(recorded):
        print(f"different messages: live {sorted(live)} recorded {sorted(recorded)}")
        failed = True
    for name in sorted(set(live) & set(recorded)):
        if live[name] != recorded[name]:
            failed = True
            print(f"{name}: auth differs between live DNS (-) and recorded DNS (+)")
            a = json.dumps(live[name], indent=1, sort_keys=True).splitlines()
            b = json.dumps(recorded[name], indent=1, sort_keys=True).splitlines()
            print("\n".join(difflib.unified_diff(a, b, "live", "recorded", lineterm="")))
    for name, (_, _, expected) in ({} if any_results else CASES).items():
        got = live.get(name + ".eml", {}).get("spf", {}).get("result")
        if got != expected:
            failed = True
            print(f"{name}: SPF {got}, expected {expected}: {live.get(name + '.eml')}")
    if failed:
        raise SystemExit(1)
    print(f"{len(live)} messages: live and recorded auth identical")


def expect(path, result, text):
    for name, auth in auth_by_file(path).items():
        spf = auth["spf"]
        if spf["result"] != result or text not in spf["reason"]:
            raise SystemExit(f"{path}: {name}: SPF {spf}, expected {result} with '{text}'")


def findings(path):
    """One line per evidence of each finding: FILE ID WHAT (for grep in the shell test)."""
    with open(path) as f:
        for line in f:
            record = json.loads(line)
            name = os.path.basename(record["file"])
            for finding in record.get("findings", []):
                for evidence in finding["evidence"] or [{"what": ""}]:
                    print(name, finding["id"], evidence["what"])


command = sys.argv[1]
if command == "messages":
    write_messages(sys.argv[2], sys.argv[3])
elif command == "dkim-check":
    dkim_check(sys.argv[2], sys.argv[3])
elif command == "compare":
    compare(sys.argv[2], sys.argv[3], any_results="--any" in sys.argv[4:])
elif command == "findings":
    findings(sys.argv[2])
elif command == "expect":
    expect(sys.argv[2], sys.argv[3], sys.argv[4])
else:
    raise SystemExit(f"unknown command {command}")
