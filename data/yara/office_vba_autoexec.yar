// VBA macros that start by themselves and reach a shell, in an OLE2 compound file (a .doc/.xls,
// or the vbaProject.bin of a .docm/.xlsm once extracted). The compiled p-code and the
// _VBA_PROJECT stream keep identifiers in clear, so the entry point and the call survive the
// MS-OVBA compression of the source.
rule vigie_office_vba_autoexec_shell
{
  meta:
    description = "An Office file holds a VBA macro that runs by itself when the document is opened or closed (AutoOpen, Document_Open, Workbook_Open...) and calls a shell, a script host or PowerShell."
    description_fr = "Un fichier Office contient une macro VBA qui se lance seule à l'ouverture ou à la fermeture du document (AutoOpen, Document_Open, Workbook_Open...) et appelle un interpréteur de commandes, un hôte de scripts ou PowerShell."
    score = 10
    group = "active_content"
    attack = "T1566.001,T1204.002,T1059.005"
    reference = "https://learn.microsoft.com/en-us/openspecs/office_file_formats/ms-ovba/ ; https://attack.mitre.org/techniques/T1059/005/"

  strings:
    $project = "_VBA_PROJECT" wide
    $auto1 = "AutoOpen" nocase
    $auto2 = "Auto_Open" nocase
    $auto3 = "Document_Open" nocase
    $auto4 = "Workbook_Open" nocase
    $auto5 = "AutoClose" nocase
    $auto6 = "Document_Close" nocase
    $auto7 = "AutoExec" nocase
    $shell1 = "WScript.Shell" nocase
    $shell2 = "Shell.Application" nocase
    $shell3 = "powershell" nocase
    $shell4 = "cmd.exe" nocase
    $shell5 = "ShellExecute" nocase
    $shell6 = "Win32_Process" nocase
    $shell7 = "mshta" nocase

  condition:
    uint32be(0) == 0xD0CF11E0 and $project and any of ($auto*) and any of ($shell*)
}
