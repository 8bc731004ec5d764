// The table of dangerous extensions (see dangerous_extension.h).
#include "objects/dangerous_extension.h"

#include <array>

namespace vigie::objects {
namespace {

constexpr std::array kDangerousExtensions{
    DangerousExtension{"exe", {"Windows executable", "exécutable Windows"}},
    DangerousExtension{"scr", {"Windows screen saver (executable)", "économiseur d'écran Windows (exécutable)"}},
    DangerousExtension{"com", {"DOS/Windows executable", "exécutable DOS/Windows"}},
    DangerousExtension{"pif", {"program information file (executable)", "fichier d'informations de programme (exécutable)"}},
    DangerousExtension{"dll", {"Windows library (DLL)", "bibliothèque Windows (DLL)"}},
    DangerousExtension{"cpl", {"Control Panel item (executable)", "élément du Panneau de configuration (exécutable)"}},
    DangerousExtension{"js", {"JScript file", "fichier JScript"}},
    DangerousExtension{"jse", {"encoded JScript file", "fichier JScript encodé"}},
    DangerousExtension{"vbs", {"VBScript file", "fichier VBScript"}},
    DangerousExtension{"vbe", {"encoded VBScript file", "fichier VBScript encodé"}},
    DangerousExtension{"wsf", {"Windows Script File", "fichier Windows Script"}},
    DangerousExtension{"wsh", {"Windows Script Host settings", "paramètres Windows Script Host"}},
    DangerousExtension{"ps1", {"PowerShell script", "script PowerShell"}},
    DangerousExtension{"psm1", {"PowerShell module", "module PowerShell"}},
    DangerousExtension{"hta", {"HTML application", "application HTML"}},
    DangerousExtension{"cmd", {"command script", "script de commandes"}},
    DangerousExtension{"bat", {"batch script", "script batch"}},
    DangerousExtension{"lnk", {"Windows shortcut", "raccourci Windows"}},
    DangerousExtension{"url", {"Internet shortcut", "raccourci Internet"}},
    DangerousExtension{"website", {"pinned site shortcut", "raccourci de site épinglé"}},
    DangerousExtension{"scf", {"Shell command file", "fichier de commandes de l'Explorateur"}},
    DangerousExtension{"library-ms", {"Windows library description", "description de bibliothèque Windows"}},
    DangerousExtension{"search-ms", {"Windows saved search", "recherche enregistrée Windows"}},
    DangerousExtension{"searchconnector-ms", {"Windows search connector", "connecteur de recherche Windows"}},
    DangerousExtension{"iso", {"disc image", "image disque"}},
    DangerousExtension{"img", {"disk image", "image disque"}},
    DangerousExtension{"vhd", {"virtual hard disk", "disque dur virtuel"}},
    DangerousExtension{"vhdx", {"virtual hard disk", "disque dur virtuel"}},
    DangerousExtension{"chm", {"compiled HTML help", "aide HTML compilée"}},
    DangerousExtension{"msi", {"Windows installer", "programme d'installation Windows"}},
    DangerousExtension{"msix", {"Windows app package", "paquet d'application Windows"}},
    DangerousExtension{"msixbundle", {"Windows app package", "paquet d'application Windows"}},
    DangerousExtension{"appx", {"Windows app package", "paquet d'application Windows"}},
    DangerousExtension{"appxbundle", {"Windows app package", "paquet d'application Windows"}},
    DangerousExtension{"one", {"OneNote notebook", "bloc-notes OneNote"}},
    DangerousExtension{"jar", {"Java archive", "archive Java"}},
    DangerousExtension{"xll", {"Excel add-in (DLL)", "complément Excel (DLL)"}},
    DangerousExtension{"rdp", {"Remote Desktop connection", "connexion Bureau à distance"}},
};

}  // namespace

const DangerousExtension* dangerous_extension(std::string_view extension) {
  for (const DangerousExtension& d : kDangerousExtensions) {
    if (d.extension == extension) return &d;
  }
  return nullptr;
}

}  // namespace vigie::objects
