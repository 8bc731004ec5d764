// HTML that rebuilds a file from text inside the page and hands it to the browser as a download
// (EnvyScout, the HeadLace landing pages): the file never crosses the mail filter as a file.
rule vigie_html_smuggling_blob_download
{
  meta:
    description = "An HTML page decodes a file hidden in its own text (atob), wraps it in a Blob and offers it as a download: HTML smuggling, which brings a program or a disk image past mail filters."
    description_fr = "Une page HTML décode un fichier caché dans son propre texte (atob), l'enveloppe dans un Blob et le propose au téléchargement : la contrebande HTML, qui fait passer un programme ou une image disque à travers les filtres de messagerie."
    score = 10
    group = "active_content"
    attack = "T1566.001,T1027.006,T1204.002"
    reference = "https://attack.mitre.org/techniques/T1027/006/ ; https://unit42.paloaltonetworks.com/fighting-ursa-car-for-sale-phishing-lure/"

  strings:
    $decode1 = "atob(" nocase
    $decode2 = "Uint8Array" nocase
    $blob = /new\s+Blob\s*\(/ nocase
    $hand1 = "createObjectURL" nocase
    $hand2 = "msSaveOrOpenBlob" nocase
    $hand3 = "msSaveBlob" nocase

  condition:
    $decode1 and $decode2 and $blob and any of ($hand*)
}
