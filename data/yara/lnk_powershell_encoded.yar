// A Windows shortcut whose command line starts PowerShell with an encoded command: the LNK
// inside a ZIP or an ISO that Gamaredon and APT28 campaigns send (threat notes 1 and 3.4).
rule vigie_lnk_powershell_encoded_command
{
  meta:
    description = "A Windows shortcut (.lnk) starts PowerShell with an encoded command (-enc): opening it runs a hidden script."
    description_fr = "Un raccourci Windows (.lnk) lance PowerShell avec une commande encodée (-enc) : l'ouvrir exécute un script caché."
    score = 12
    group = "active_content"
    attack = "T1566.001,T1204.002,T1059.001,T1027"
    reference = "https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-shllink/ ; https://attack.mitre.org/techniques/T1059/001/"

  strings:
    $powershell = "powershell" nocase ascii wide
    $enc1 = " -enc" nocase ascii wide
    $enc2 = " -e " nocase ascii wide
    $enc3 = " -ec " nocase ascii wide
    $enc4 = " /enc" nocase ascii wide

  condition:
    // HeaderSize 0x4C, then the shell link CLSID 00021401-0000-0000-C000-000000000046.
    uint32(0) == 0x0000004C and uint32(4) == 0x00021401 and uint32(8) == 0 and uint32be(12) == 0xC0000000 and
    $powershell and any of ($enc*)
}
