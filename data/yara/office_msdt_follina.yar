// CVE-2022-30190 (Follina): an Office document whose relationships load an outside page, and the
// page that calls the ms-msdt: protocol handler to run PowerShell through the diagnostics tool.
rule vigie_office_rels_ms_msdt
{
  meta:
    description = "An Office document's relationships point to the ms-msdt: protocol or load an outside HTML page with a \"!\" suffix: the Follina exploit (CVE-2022-30190), which runs commands through the Windows diagnostics tool."
    description_fr = "Les relations d'un document Office pointent vers le protocole ms-msdt: ou chargent une page HTML extérieure suffixée d'un « ! » : l'exploit Follina (CVE-2022-30190), qui exécute des commandes par l'outil de diagnostic de Windows."
    score = 12
    group = "active_content"
    attack = "T1566.001,T1203,T1221"
    reference = "https://nvd.nist.gov/vuln/detail/CVE-2022-30190 ; https://www.bleepingcomputer.com/news/security/russian-govt-hackers-hit-ukraine-with-cobalt-strike-credomap-malware/"

  strings:
    $relationships = "<Relationships" nocase
    $external = "TargetMode=\"External\"" nocase
    $msdt = /Target\s*=\s*"(mhtml:)?ms-msdt:/ nocase
    $bang = /Target\s*=\s*"(mhtml:)?https?:\/\/[^"]{1,400}\.html?!"/ nocase

  condition:
    $relationships and $external and ($msdt or $bang)
}

rule vigie_html_ms_msdt_launcher
{
  meta:
    description = "A page sends the browser or Word to the ms-msdt: protocol with the PCWDiagnostic troubleshooter: the second stage of the Follina exploit (CVE-2022-30190)."
    description_fr = "Une page envoie le navigateur ou Word vers le protocole ms-msdt: avec l'outil de dépannage PCWDiagnostic : le second temps de l'exploit Follina (CVE-2022-30190)."
    score = 12
    group = "active_content"
    attack = "T1566.001,T1203,T1218"
    reference = "https://nvd.nist.gov/vuln/detail/CVE-2022-30190"

  strings:
    $msdt = "ms-msdt:" nocase
    $troubleshooter = "PCWDiagnostic" nocase
    $browse = "IT_BrowseForFile" nocase

  condition:
    $msdt and ($troubleshooter or $browse)
}
