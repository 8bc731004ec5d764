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
    // "report.pdf /report.pdf .cmd": a member of the folder whose name ends in a space. The
    // script extensions anchor the search (short fixed strings would make it slow).
    $spaced_script = /\.[A-Za-z0-9]{2,5} [\/\\][^\x00\/\\]{1,200}\.[A-Za-z0-9]{2,5} \.(cmd|bat|ps1|vbs|vbe|js|jse|wsf|hta|exe|scr|lnk)/ nocase

  condition:
    (uint32(0) == 0x04034B50 or uint32be(0) == 0x52617221) and $spaced_script
}
