// CVE-2024-37383 (Roundcube before 1.5.7 and 1.6.7): an SVG <animate> or <set> element whose
// attributeName is href (often padded with a space, "href ", to slip past the sanitiser) and whose
// values or to hold a javascript: URL. The script runs in the webmail when the message is opened.
rule vigie_svg_animate_href_javascript
{
  meta:
    description = "The message's HTML holds an SVG animation that sets a link's href to a javascript: URL, the shape of the Roundcube CVE-2024-37383 exploit: a script that runs in the webmail as soon as the message is displayed."
    description_fr = "Le HTML du message contient une animation SVG qui donne à l'attribut href d'un lien une URL javascript:, la forme de l'exploit Roundcube CVE-2024-37383 : un script qui s'exécute dans la messagerie web dès l'affichage du message."
    score = 12
    group = "client_exploit"
    attack = "T1190,T1203,T1059.007"
    reference = "https://nvd.nist.gov/vuln/detail/CVE-2024-37383"

  strings:
    $name_then_value = /<(animate|set)[\s\/][^>]{0,400}attributeName\s*=\s*["']?\s*(xlink:)?href\s*["']?[^>]{0,400}(values|to|from)\s*=\s*["']?\s*javascript:/ nocase
    $value_then_name = /<(animate|set)[\s\/][^>]{0,400}(values|to|from)\s*=\s*["']?\s*javascript:[^>]{0,400}attributeName\s*=\s*["']?\s*(xlink:)?href/ nocase

  condition:
    any of them
}
