#!/usr/bin/env bash
# Throughput on large attachments: vigie scanning messages that carry office documents, PDFs and
# archives, beside clamscan (Debian clamav) on the same files, in the same run. Everything is
# generated in a private temporary directory (removed at the end): a DOCX and an XLSX written with
# Python's zipfile, a PDF of compressed text pages and one large image (rewritten with object
# streams by qpdf when the qpdf tool is installed), a ZIP and a tar.gz of word text, a text log.
# Nothing is committed, no live malware, no freshclam database: clamscan and vigie's clamav
# analyzer read a two-signature database the script writes (an .hdb hash signature of one file,
# an .ndb body signature of a marker none of the files holds).
#
# Usage: bench/attachments_throughput.sh [ROUNDS]      (default 5; median of the rounds)
#   VIGIE=build/src/cli/vigie  CONFIG=config/ministere.example.toml  SIZE_MB=48  JOBS=1
# Prints, per tool: the median time of a whole run (start-up included, as a user pays it), its
# start-up alone (a run on one tiny file), MB/s of attachment bytes over the median time and over
# the time after start-up, and vigie's MB/s over clamscan's.
set -euo pipefail

ROUNDS=${1:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VIGIE=${VIGIE:-$ROOT/build/src/cli/vigie}
CONFIG=${CONFIG:-$ROOT/config/ministere.example.toml}
SIZE_MB=${SIZE_MB:-48}
JOBS=${JOBS:-1}

for tool in python3 clamscan bc; do
  command -v "$tool" >/dev/null || { echo "needs $tool (scripts/install-deps.sh, test group)" >&2; exit 2; }
done
[ -x "$VIGIE" ] || { echo "no vigie binary at $VIGIE (build it, or set VIGIE=)" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/vigie-attach-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/files" "$WORK/messages" "$WORK/db" "$WORK/tiny"

# --- The attachments, the messages that carry them, the signature database ---
python3 - "$WORK" "$SIZE_MB" <<'PY'
import base64, hashlib, io, os, random, shutil, subprocess, sys, tarfile, zipfile, zlib

work, size_mb = sys.argv[1], int(sys.argv[2])
files = os.path.join(work, "files")
rng = random.Random(13)
words = ("rapport budget ministère réunion sécurité défense préfecture circulaire annexe "
         "calendrier programme mission conseil direction service public note analyse "
         "coopération partenaire protocole compte rendu décision projet").split()

def text(n_bytes):
    out, size = [], 0
    while size < n_bytes:
        line = " ".join(rng.choice(words) for _ in range(14)) + ".\n"
        out.append(line)
        size += len(line.encode())
    return "".join(out)

share = size_mb * 1_000_000 // 6   # six files of about the same size

def ooxml(path, main_part, body_xml, content_type):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                   f'<Override PartName="/{main_part}" ContentType="{content_type}"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   f'officeDocument/2006/relationships/officeDocument" Target="{main_part}"/></Relationships>')
        z.writestr(main_part, body_xml)
        # Pictures are stored as they come (already compressed): random bytes stand for them.
        z.writestr("media/image1.png", rng.randbytes(share // 2), zipfile.ZIP_STORED)

paras = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in text(share).splitlines())
ooxml(os.path.join(files, "rapport.docx"), "word/document.xml",
      '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
      f"<w:body>{paras}</w:body></w:document>",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
rows = "".join(f'<row r="{i}"><c t="inlineStr"><is><t>{line}</t></is></c><c><v>{rng.random()}</v></c></row>'
               for i, line in enumerate(text(share).splitlines(), 1))
ooxml(os.path.join(files, "budget.xlsx"), "xl/worksheets/sheet1.xml",
      '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
      f"<sheetData>{rows}</sheetData></worksheet>",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml")

# A PDF with compressed content streams, rewritten by qpdf with object streams when it is
# installed: the shape of a real exported document. Its image is random bytes, like a photo's.
pages, objects = [], []
def add(obj):
    objects.append(obj)
    return len(objects)
image_bytes = rng.randbytes(share // 2)
image = add(b"<< /Type /XObject /Subtype /Image /Width 1024 /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Length %d >>\nstream\n" % (len(image_bytes) // 1024, len(image_bytes))
            + image_bytes + b"\nendstream")
font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
lines = text(share // 2).encode("latin-1", "replace").splitlines()
page_ids = []
for start in range(0, len(lines), 60):
    ops = b"BT /F1 9 Tf 40 800 Td 11 TL " + b"".join(
        b"(" + l.replace(b"\\", b"").replace(b"(", b"").replace(b")", b"") + b") '" for l in lines[start:start + 60]) + b" ET"
    if start == 0:
        ops = b"q 500 0 0 300 40 40 cm /Im1 Do Q " + ops
    packed = zlib.compress(ops)
    content = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream")
    page_ids.append(add(None))  # filled once the page tree's number is known
    objects[page_ids[-1] - 1] = (content,)
pages_id = add(None)
for pid in page_ids:
    content = objects[pid - 1][0]
    objects[pid - 1] = (b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
                        % (pages_id, content, font, image))
objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
    b" ".join(b"%d 0 R" % p for p in page_ids), len(page_ids))
catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
out = io.BytesIO()
out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
offsets = []
for number, obj in enumerate(objects, 1):
    offsets.append(out.tell())
    out.write(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
xref = out.tell()
out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
for off in offsets:
    out.write(b"%010d 00000 n \n" % off)
out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref))
plain = os.path.join(work, "plain.pdf")
with open(plain, "wb") as f:
    f.write(out.getvalue())
if shutil.which("qpdf"):
    subprocess.run(["qpdf", "--object-streams=generate", "--compress-streams=y", plain,
                    os.path.join(files, "dossier.pdf")], check=True)
    os.remove(plain)
else:
    os.rename(plain, os.path.join(files, "dossier.pdf"))

with zipfile.ZipFile(os.path.join(files, "pieces.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    for i in range(4):
        z.writestr(f"annexe-{i}.txt", text(share // 2))
    z.writestr("scan.jpg", rng.randbytes(share // 2), zipfile.ZIP_STORED)
with tarfile.open(os.path.join(files, "export.tar.gz"), "w:gz") as t:
    for i in range(3):
        data = text(share).encode() if i == 0 else rng.randbytes(share // 3)
        info = tarfile.TarInfo(f"export/part-{i}.dat")
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
with open(os.path.join(files, "journal.log"), "w") as f:
    f.write(text(share))

# One message per attachment (base64, as mail carries it).
for name in sorted(os.listdir(files)):
    data = open(os.path.join(files, name), "rb").read()
    encoded = base64.encodebytes(data).decode()
    with open(os.path.join(work, "messages", name + ".eml"), "w") as m:
        m.write("From: Service <service@partenaire.example>\nTo: agent@interieur.gouv.fr\n"
                f"Subject: {name}\nDate: Mon, 7 Dec 2026 08:00:00 +0100\nMessage-ID: <{name}@partenaire.example>\n"
                "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
                "--b\nContent-Type: text/plain; charset=utf-8\n\nCi-joint le document.\n"
                "--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n"
                f'Content-Disposition: attachment; filename="{name}"\n\n{encoded}--b--\n')

# The signature database: the hash of the log file (so clamscan and vigie each report one match)
# and a body marker nothing holds.
log = open(os.path.join(files, "journal.log"), "rb").read()
with open(os.path.join(work, "db", "bench.hdb"), "w") as f:
    f.write(f"{hashlib.md5(log).hexdigest()}:{len(log)}:Vigie.Bench.Hash\n")
with open(os.path.join(work, "db", "bench.ndb"), "w") as f:
    f.write("Vigie.Bench.Body:0:*:" + b"VIGIE-BENCH-MARKER-NOT-PRESENT".hex() + "\n")
with open(os.path.join(work, "tiny", "tiny.txt"), "w") as f:
    f.write("tiny\n")
with open(os.path.join(work, "tiny", "tiny.eml"), "w") as f:
    f.write("From: a@example.org\nTo: b@example.net\nSubject: tiny\n\ntiny\n")
PY

# vigie with its clamav analyzer on, reading the same database.
CLAM_CONFIG="$WORK/with-clamav.toml"
cp "$CONFIG" "$CLAM_CONFIG"
printf '\n[analyzers.clamav]\nenabled = true\ndatabase = "%s"\n' "$WORK/db" >>"$CLAM_CONFIG"

FILES_BYTES=$(du -cb "$WORK"/files/* | tail -1 | cut -f1)
MESSAGES_BYTES=$(du -cb "$WORK"/messages/* | tail -1 | cut -f1)
echo "attachments: $(ls "$WORK/files" | wc -l) files, $((FILES_BYTES / 1000000)) MB; messages $((MESSAGES_BYTES / 1000000)) MB (base64); rounds: $ROUNDS; vigie -j $JOBS"
ls -l "$WORK/files" | awk 'NR > 1 { printf "  %-16s %6.1f MB\n", $9, $5 / 1e6 }'

# Seconds taken by a command, its output discarded; a failure stops the bench with its message.
seconds() {
  local start end rc=0
  start=$(date +%s.%N)
  "$@" >/dev/null 2>"$WORK/stderr" || rc=$?
  end=$(date +%s.%N)
  # clamscan exits 1 when it finds something (the hashed log file).
  if [ "$rc" -ne 0 ] && ! { [ "$1" = clamscan ] && [ "$rc" -eq 1 ]; }; then
    echo "failed ($rc): $* : $(head -c 500 "$WORK/stderr")" >&2
    exit 1
  fi
  echo "$end - $start" | bc -l
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A RUN START
run_vigie() { "$VIGIE" scan --config "$1" --format jsonl -q -j "$JOBS" "${@:2}"; }
for round in $(seq "$ROUNDS"); do
  RUN[vigie]+="$(seconds run_vigie "$CONFIG" "$WORK/messages") "
  RUN[vigie+clamav]+="$(seconds run_vigie "$CLAM_CONFIG" "$WORK/messages") "
  RUN[clamscan]+="$(seconds clamscan --no-summary -d "$WORK/db" "$WORK/files") "
  START[vigie]+="$(seconds run_vigie "$CONFIG" "$WORK/tiny/tiny.eml") "
  START[vigie+clamav]+="$(seconds run_vigie "$CLAM_CONFIG" "$WORK/tiny/tiny.eml") "
  START[clamscan]+="$(seconds clamscan --no-summary -d "$WORK/db" "$WORK/tiny/tiny.txt") "
done

# The findings, to show both tools did the work (one hash match each on journal.log).
echo "vigie+clamav CLAMAV_SIGNATURE findings: $(run_vigie "$CLAM_CONFIG" "$WORK/messages" | grep -o '"id":"CLAMAV_SIGNATURE"' | wc -l)," \
     "clamscan FOUND: $(clamscan --no-summary -d "$WORK/db" "$WORK/files" | grep -c FOUND || true)"

printf '%-14s %10s %10s %10s %14s\n' tool "median s" "start s" "MB/s" "MB/s w/o start"
declare -A RATE
for tool in vigie vigie+clamav clamscan; do
  t=$(tr ' ' '\n' <<<"${RUN[$tool]}" | grep . | median)
  s=$(tr ' ' '\n' <<<"${START[$tool]}" | grep . | median)
  RATE[$tool]=$(echo "$FILES_BYTES / 1000000 / $t" | bc -l)
  net=$(echo "d = $t - $s; if (d <= 0) d = 0.001; $FILES_BYTES / 1000000 / d" | bc -l)
  printf '%-14s %10.2f %10.2f %10.1f %14.1f\n' "$tool" "$t" "$s" "${RATE[$tool]}" "$net"
done
printf 'vigie / clamscan MB/s: %.2f   vigie+clamav / clamscan: %.2f\n' \
  "$(echo "${RATE[vigie]} / ${RATE[clamscan]}" | bc -l)" "$(echo "${RATE[vigie+clamav]} / ${RATE[clamscan]}" | bc -l)"
