#!/usr/bin/env python3
"""Writes the message planted with the indicators of tests/intel/data (intel_cli_test.sh and
export_cli_test.sh): the sender and subject of the lure, a hop from the partner's IP, a link under
the kit folder, and a zip holding the dropper. Usage: planted_message.py OUT.eml"""
import base64, io, sys, zipfile
payload = b"MZ\x90\x00 vigie test payload: not a program\n"
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("Convocation.exe", payload)
zipped = base64.encodebytes(buf.getvalue()).decode()
open(sys.argv[1], "w").write(
    "Received: from relay.example (relay.example [198.51.100.23]) by mx.interieur.gouv.fr; Tue, 1 Dec 2026 09:00:00 +0100\n"
    "From: Ressources humaines <rh@portail-rh-interieur.example>\nTo: agent@interieur.gouv.fr\n"
    "Subject: Convocation entretien annuel\nDate: Tue, 1 Dec 2026 09:00:00 +0100\nMessage-ID: <planted@test>\n"
    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
    "--b\nContent-Type: text/plain; charset=utf-8\n\nVoir https://files-partage.example/kit/login.php et la pièce jointe.\n"
    "--b\nContent-Type: application/zip; name=convocation.zip\nContent-Disposition: attachment; filename=convocation.zip\n"
    "Content-Transfer-Encoding: base64\n\n" + zipped + "--b--\n")
