#!/usr/bin/env python3
"""A one-message SMTP sink for the end-to-end tests: listens on 127.0.0.1 (port printed on the
first line of stdout), takes one session, undoes dot-stuffing as Postfix reads lines (a line ends
at LF), and writes the envelope (JSON) and the data to the files named on the command line.
Every wait is bounded: it exits after 60 s without a session.
Usage: smtp_sink.py ENVELOPE_FILE DATA_FILE"""
import json
import socket
import sys

envelope_file, data_file = sys.argv[1], sys.argv[2]
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(1)
server.settimeout(60)
print(server.getsockname()[1], flush=True)
connection, _ = server.accept()
connection.settimeout(30)
reader = connection.makefile("rb")
connection.sendall(b"220 sink ESMTP\r\n")
envelope = {"mail_from": None, "recipients": []}
data = b""


def argument(line):
    text = line.decode("utf-8", "replace")
    return text[text.find("<") + 1:text.rfind(">")]


while True:
    line = reader.readline()
    if not line:
        break
    verb = line[:4].upper()
    if verb in (b"EHLO", b"HELO"):
        connection.sendall(b"250 sink\r\n")
    elif verb == b"MAIL":
        envelope["mail_from"] = argument(line)
        connection.sendall(b"250 2.1.0 ok\r\n")
    elif verb == b"RCPT":
        envelope["recipients"].append(argument(line))
        connection.sendall(b"250 2.1.5 ok\r\n")
    elif verb == b"DATA":
        connection.sendall(b"354 go on\r\n")
        while True:
            line = reader.readline()
            if not line or line in (b".\r\n", b".\n"):
                break
            data += line[1:] if line.startswith(b".") else line
        connection.sendall(b"250 2.0.0 queued\r\n")
    elif verb == b"QUIT":
        connection.sendall(b"221 bye\r\n")
        break
    else:
        connection.sendall(b"250 ok\r\n")
with open(envelope_file, "w") as out:
    json.dump(envelope, out)
with open(data_file, "wb") as out:
    out.write(data)
