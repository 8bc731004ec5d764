// CVE-2023-38831 (WinRAR before 6.23): an archive holding "report.pdf " (a trailing space) and a
// folder of the same name with "report.pdf .cmd" inside. Opening the harmless-looking file from
// WinRAR runs the script. Used by APT28 and Sandworm in 2023 (threat notes 3.4).
rule vigie_winrar_cve_2023_38831_names
{
  meta:
    description = "An archive holds a file whose name ends in a space and a folder of the same name with a script inside (report.pdf /report.pdf .cmd): the WinRAR CVE-2023-38831 exploit, which runs the script when the reader opens the document."
    description_fr = "Une archive contient un fichier dont le nom finit par une espace et un dossier du même nom qui renferme un script (rapport.pdf /rapport.pdf .cmd) : l'exploit WinRAR CVE-2023-38831, qui exécute le script quand le lecteur ouvre le document."
    score = 12
    group = "active_content"
    attack = "T1566.001,T1203,T1204.002,T1036"
    reference = "https://nvd.nist.gov/vuln/detail/CVE-2023-38831 ; https://blog.google/threat-analysis-group/government-backed-actors-exploiting-winrar-vulnerability/"

  strings:
    // " .cmd" in "report.pdf .cmd", the script inside the folder whose name ends in a space.
    // Plain strings, not a regex: a regex's alternations would be verified at every image link
    // of every HTML body.
    $script_cmd = " .cmd" nocase
    $script_bat = " .bat" nocase
    $script_ps1 = " .ps1" nocase
    $script_vbs = " .vbs" nocase
    $script_vbe = " .vbe" nocase
    $script_js = " .js" nocase
    $script_jse = " .jse" nocase
    $script_wsf = " .wsf" nocase
    $script_hta = " .hta" nocase
    $script_exe = " .exe" nocase
    $script_scr = " .scr" nocase
    $script_lnk = " .lnk" nocase
    $script_pif = " .pif" nocase

  condition:
    (uint32(0) == 0x04034B50 or uint32be(0) == 0x52617221) and
    // ...right after a decoy extension of two to four characters: ".pdf .cmd", ".docx .bat".
    for any of ($script_*) : (
      for any i in (1..#) : (uint8(@[i] - 3) == 0x2E or uint8(@[i] - 4) == 0x2E or uint8(@[i] - 5) == 0x2E)
    )
}
