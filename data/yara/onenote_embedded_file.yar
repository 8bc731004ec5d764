// A OneNote section (.one) carrying an embedded file: early 2023 campaigns hid scripts and
// programs behind a "double-click to view" picture once macros were blocked by default.
rule vigie_onenote_embedded_file
{
  meta:
    description = "A OneNote section carries an embedded file, the way attackers hide a script or a program behind a \"double-click to open\" picture."
    description_fr = "Une section OneNote contient un fichier incorporé, la façon dont les attaquants cachent un script ou un programme derrière une image « double-cliquez pour ouvrir »."
    score = 8
    group = "active_content"
    attack = "T1566.001,T1204.002,T1027"
    reference = "https://learn.microsoft.com/en-us/openspecs/office_file_formats/ms-onestore/ ; https://attack.mitre.org/techniques/T1204/002/"

  strings:
    // FileDataStoreObject header {BDE316E7-2665-4511-A4C4-8D4D0B7A9EAC}, as stored.
    $embedded = { E7 16 E3 BD 65 26 11 45 A4 C4 8D 4D 0B 7A 9E AC }

  condition:
    // The .one file type {7B5C52E4-D88C-4DA7-AEB1-5378D02996D3}, as stored at offset 0.
    uint32(0) == 0x7B5C52E4 and uint32(4) == 0x4DA7D88C and uint32be(8) == 0xAEB15378 and $embedded
}
