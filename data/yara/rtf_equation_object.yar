// An RTF document embedding an OLE object of the Equation Editor class (EQNEDT32.EXE), the target
// of CVE-2017-11882 and CVE-2018-0802, with \objupdate so that Word loads the object without a
// click. The class name is in clear after \objclass, or hex-encoded inside \objdata.
rule vigie_rtf_equation_editor_object
{
  meta:
    description = "An RTF document embeds an Equation Editor object (Equation.3) that Word loads when it opens the file: the shape of the CVE-2017-11882 and CVE-2018-0802 exploits."
    description_fr = "Un document RTF embarque un objet de l'Éditeur d'équations (Equation.3) que Word charge dès l'ouverture du fichier : la forme des exploits CVE-2017-11882 et CVE-2018-0802."
    score = 12
    group = "active_content"
    attack = "T1566.001,T1203,T1204.002"
    reference = "https://nvd.nist.gov/vuln/detail/CVE-2017-11882 ; https://nvd.nist.gov/vuln/detail/CVE-2018-0802"

  strings:
    $objdata = "\\objdata" nocase
    $objupdate = "\\objupdate" nocase
    $class_clear = /\\objclass\s+Equation\.3/ nocase
    // "Equation.3" as the hex digits of \objdata, either case.
    $class_hex = "4571756174696f6e2e33" nocase

  condition:
    uint32be(0) == 0x7B5C7274 and $objdata and ($objupdate or $class_clear) and ($class_clear or $class_hex)
}
