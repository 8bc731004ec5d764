#!/usr/bin/python3
# Writes the seeds of fuzz_dkim (fuzz/seeds/dkim/) with dkimpy (Debian python3-dkim, python3-nacl,
# python3-authres), signed with the test keys of this folder, whose public halves fuzz_dkim.cpp
# publishes in its fixed zone. Test keys only: they sign nothing but fuzz seeds.
# Usage: /usr/bin/python3 fuzz/dkim_keys/make_seeds.py
import os
import dkim

here = os.path.dirname(os.path.abspath(__file__))
seeds = os.path.join(here, "..", "seeds", "dkim")
os.makedirs(seeds, exist_ok=True)
rsa = open(os.path.join(here, "rsa1024.pem"), "rb").read()
ed = open(os.path.join(here, "ed25519.key"), "rb").read()

message = (b"From: Alice <alice@example.com>\r\n"
           b"To: bob@example.net\r\n"
           b"Subject: Fuzz  seed\r\n"
           b"Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
           b"\r\n"
           b"Hello Bob,\r\n"
           b"a  line with   spaces \t\r\n"
           b"\r\n")
headers = [b"from", b"to", b"subject", b"subject", b"date"]

def sign(msg, algorithm=b"rsa-sha256", key=rsa, selector=b"sel", canon=(b"relaxed", b"relaxed"),
         length=False):
    return dkim.sign(msg, selector, b"example.com", key, canonicalize=canon,
                     signature_algorithm=algorithm, include_headers=headers, length=length) + msg

def write(name, data):
    with open(os.path.join(seeds, name), "wb") as f:
        f.write(data)

write("rsa-relaxed.eml", sign(message))
write("rsa-simple-length.eml", sign(message, canon=(b"simple", b"simple"), length=True)
      + b"unsigned tail\r\n")
write("ed25519-mixed.eml", sign(message, b"ed25519-sha256", ed, b"ed", (b"relaxed", b"simple")))
write("two-signatures-lf.eml", sign(sign(message), b"ed25519-sha256", ed, b"ed").replace(b"\r\n", b"\n"))
write("rsa-sha1.eml", sign(message, b"rsa-sha1"))
# A fuzzed key record before the NUL byte, published at fz._domainkey.example.com.
write("fuzzed-key-record.eml",
      b"v=DKIM1; k=rsa; t=y:s; h=sha256; s=email; p=" +
      open(os.path.join(here, "rsa1024.pub"), "rb").read().strip() + b"\0" +
      sign(message, selector=b"fz"))
write("timeout-and-syntax.eml",
      b"DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=tmo; h=from; bh=YWJj; b=ZGVm\r\n"
      b"DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; h=subject; bh=; b=;;\r\n"
      b"DKIM-Signature: v=2; a=rsa-md5; c=odd; d=example.com; s=sel; h=from; bh=YWJj; b=ZGVm\r\n"
      + message)

def arc_hop(msg, domain, srv, results):
    msg = b"Authentication-Results: " + srv + b"; " + results + b"\r\n" + msg
    return b"".join(dkim.arc_sign(msg, b"arc", domain, rsa, srv)) + msg

hop1 = arc_hop(sign(message), b"relay.example.org", b"mx.relay.example.org", b"dkim=pass")
write("arc-1hop.eml", hop1)
write("arc-2hop.eml", arc_hop(hop1, b"relay2.example.net", b"mx.relay2.example.net",
                              b"arc=pass; dkim=pass"))
