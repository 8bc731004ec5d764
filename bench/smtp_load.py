#!/usr/bin/env python3
"""SMTP load client for bench/postfix_load.sh: sends N messages (the listed files in turn, read
into memory first) to 127.0.0.1:PORT over CONCURRENCY connections, each kept open for many
messages, and prints one JSON object: messages sent, accepted (250), refused permanently (5xx),
temporarily (4xx), errors (no answer), seconds, messages per second and the latency from the
end of DATA to the server's answer (p50, p99), which is where the milter's scan happens.

    smtp_load.py PORT CONCURRENCY MESSAGES FILE_LIST
"""
import json
import smtplib
import sys
import threading
import time


def main():
    port, concurrency, total, file_list = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    messages = []
    for path in open(file_list).read().split("\n"):
        if path:
            data = open(path, "rb").read()
            if data:
                messages.append(data)
    if not messages:
        sys.exit("no messages")
    lock = threading.Lock()
    counter = {"next": 0, "accepted": 0, "refused": 0, "tempfailed": 0, "errors": 0}
    latencies = []

    def take():
        with lock:
            i = counter["next"]
            counter["next"] += 1
            return i if i < total else None

    def count(key, ms=None):
        with lock:
            counter[key] += 1
            if ms is not None:
                latencies.append(ms)

    def client():
        smtp = None
        while (i := take()) is not None:
            try:
                if smtp is None:
                    smtp = smtplib.SMTP("127.0.0.1", port, timeout=120)
                    smtp.ehlo("load.example.net")
                smtp.mail("bench@example.net")
                smtp.rcpt("agent@exemple.gouv.fr")
                body = messages[i % len(messages)]
                # smtplib's data() fixes line ends and dot-stuffs; the timer covers the upload and the
                # wait for the answer to the final dot (the milter's scan).
                start = time.perf_counter()
                code, _ = smtp.data(body)
                ms = (time.perf_counter() - start) * 1000
                count("accepted" if code == 250 else "refused" if code >= 500 else "tempfailed", ms)
            except smtplib.SMTPDataError as e:
                count("refused" if e.smtp_code >= 500 else "tempfailed")
                smtp.rset()
            except (smtplib.SMTPException, OSError):
                count("errors")
                smtp = None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass

    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    latencies.sort()

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else 0.0

    sent = counter["accepted"] + counter["refused"] + counter["tempfailed"] + counter["errors"]
    print(json.dumps({"messages": sent, "accepted": counter["accepted"], "refused": counter["refused"],
                      "tempfailed": counter["tempfailed"], "errors": counter["errors"],
                      "seconds": round(seconds, 3), "messages_per_second": round(sent / seconds, 1),
                      "p50_ms": round(percentile(0.5), 3), "p99_ms": round(percentile(0.99), 3)}))


if __name__ == "__main__":
    main()
