// lnk: what a Windows shortcut (.lnk) runs, read with our [MS-SHLLINK] reader (src/objects/lnk).
// A shortcut in an attachment or an archive (invoice.pdf.lnk inside a zip or an ISO) is the
// first stage of many intrusions (APT28, APT29, Gamaredon, Emotet): the target is a Windows tool
// that runs code — PowerShell, cmd, mshta, rundll32, the script hosts — with the payload in the
// arguments, padded so that the properties dialog does not show it, under a document's icon.
// Owns:
//   - LNK_COMMAND_EXECUTION: the target is a command interpreter, a script host or a Windows tool
//     that runs or downloads code (confidence 1 with suspicious arguments — an encoded command, a
//     hidden window, a download, a web address —, 0.6 without);
//   - LNK_HIDDEN_ARGUMENTS: arguments padded with whitespace or line breaks;
//   - LNK_DOCUMENT_ICON: a shortcut to a program that shows a document's icon;
//   - LNK_REMOTE_TARGET: target, working folder or icon on a share or WebDAV (T1187).
// Web addresses in the arguments and in an encoded PowerShell command (decoded here) go to add_url,
// so the link analyzers judge them. That a .lnk is
// a dangerous type is attachment_type's (ATTACHMENT_DANGEROUS_TYPE).
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "common/ascii.h"
#include "objects/lnk/lnk.h"
#include "objects/remote_path.h"
#include "outputs/json_output.h"
#include "parse/encoding/charset.h"
#include "parse/encoding/transfer_decoding.h"
#include "parse/url/url.h"

namespace vigie::analyzers::lnk {
namespace {

using verdict::FindingId;

constexpr std::size_t kMaxEvidenceBytes = 300;
constexpr std::size_t kMaxArgumentUrls = 16;
constexpr std::size_t kMaxDecodedCommandBytes = 64 << 10;
// What the properties dialog of Explorer shows of the target and its arguments.
constexpr std::size_t kExplorerVisibleChars = 260;
// A whitespace run this long inside the arguments is padding, not layout.
constexpr std::size_t kPaddingRun = 32;

struct Tool {
  std::string_view name;  // the file name without .exe, lowercase
  std::string_view en;
  std::string_view fr;
  std::string_view technique;
};

constexpr std::array kTools{
    Tool{"powershell", "PowerShell", "PowerShell", "T1059.001"},
    Tool{"pwsh", "PowerShell", "PowerShell", "T1059.001"},
    Tool{"cmd", "the command interpreter (cmd)", "l'interpréteur de commandes (cmd)", "T1059.003"},
    Tool{"wscript", "Windows Script Host (wscript)", "Windows Script Host (wscript)", "T1059.005"},
    Tool{"cscript", "Windows Script Host (cscript)", "Windows Script Host (cscript)", "T1059.005"},
    Tool{"mshta", "the HTML application host (mshta)", "l'hôte d'applications HTML (mshta)", "T1218.005"},
    Tool{"rundll32", "rundll32, which runs code from a DLL", "rundll32, qui exécute le code d'une DLL", "T1218.011"},
    Tool{"regsvr32", "regsvr32, which runs code from a DLL or a scriptlet", "regsvr32, qui exécute le code d'une DLL ou d'un scriptlet", "T1218.010"},
    Tool{"msiexec", "the Windows installer (msiexec)", "le programme d'installation Windows (msiexec)", "T1218.007"},
    Tool{"certutil", "certutil, used to download and decode files", "certutil, utilisé pour télécharger et décoder des fichiers", "T1105"},
    Tool{"bitsadmin", "bitsadmin, used to download files", "bitsadmin, utilisé pour télécharger des fichiers", "T1197"},
    Tool{"curl", "curl, which downloads files", "curl, qui télécharge des fichiers", "T1105"},
    Tool{"conhost", "conhost, used to start another program indirectly", "conhost, utilisé pour lancer indirectement un autre programme", "T1202"},
    Tool{"forfiles", "forfiles, used to start another program indirectly", "forfiles, utilisé pour lancer indirectement un autre programme", "T1202"},
    Tool{"pcalua", "pcalua, used to start another program indirectly", "pcalua, utilisé pour lancer indirectement un autre programme", "T1202"},
    Tool{"wmic", "WMI (wmic)", "WMI (wmic)", "T1047"},
    Tool{"hh", "the HTML help viewer (hh)", "la visionneuse d'aide HTML (hh)", "T1218.001"},
    Tool{"msbuild", "MSBuild, which compiles and runs code", "MSBuild, qui compile et exécute du code", "T1127.001"},
    Tool{"cmstp", "cmstp, which runs commands from a profile", "cmstp, qui exécute les commandes d'un profil", "T1218.003"},
    Tool{"odbcconf", "odbcconf, which loads a DLL", "odbcconf, qui charge une DLL", "T1218.008"},
    Tool{"installutil", "InstallUtil, which runs code from an assembly", "InstallUtil, qui exécute le code d'un assemblage", "T1218.004"},
    Tool{"scriptrunner", "scriptrunner, used to start another program indirectly", "scriptrunner, utilisé pour lancer indirectement un autre programme", "T1202"},
    Tool{"finger", "finger, used to download commands", "finger, utilisé pour télécharger des commandes", "T1105"},
};

bool accepts(const Object& object) {
  return object.is_file() &&
         (object.detected_type == "application/x-ms-shortcut" || object.bytes().starts_with(std::string_view("L\0\0\0\x01\x14\x02\0", 8)));
}

// The file name of a path, lowercase, without ".exe".
std::string program_of(std::string_view path) {
  std::string lower = ascii::lowercase(ascii::trim_blanks(path));
  while (!lower.empty() && (lower.back() == '"' || lower.back() == ' ')) lower.pop_back();
  if (const std::size_t slash = lower.find_last_of("\\/"); slash != std::string::npos) lower.erase(0, slash + 1);
  if (lower.starts_with("\"")) lower.erase(0, 1);
  if (lower == "%comspec%") return "cmd";
  if (lower.ends_with(".exe")) lower.resize(lower.size() - 4);
  return lower;
}

const Tool* tool_named(std::string_view program) {
  for (const Tool& t : kTools) {
    if (t.name == program) return &t;
  }
  return nullptr;
}

// The command as the analyst should read it: whitespace runs of padding shown as such.
std::string shown_command(std::string_view target, std::string_view arguments) {
  std::string out(target);
  if (!arguments.empty()) out += ' ';
  std::size_t i = 0;
  while (i < arguments.size()) {
    if (ascii::is_space(arguments[i])) {
      std::size_t j = i;
      bool line_break = false;
      while (j < arguments.size() && ascii::is_space(arguments[j])) {
        line_break |= arguments[j] == '\n' || arguments[j] == '\r';
        ++j;
      }
      if (j - i >= 4 || line_break) {
        out += "[" + std::to_string(j - i) + (line_break ? " blanks and line breaks]" : " spaces]");
      } else {
        out.append(j - i, ' ');
      }
      i = j;
      continue;
    }
    out += arguments[i++];
  }
  return outputs::excerpt(out, kMaxEvidenceBytes);
}

// PowerShell accepts any prefix of a parameter's name: -e, -en, -enc… for -EncodedCommand.
bool is_parameter(std::string_view token, std::string_view name, std::size_t shortest) {
  if (token.size() < 2 || (token[0] != '-' && token[0] != '/')) return false;
  token.remove_prefix(1);
  return token.size() >= shortest && name.starts_with(token);
}

std::vector<std::string_view> tokens(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size() && out.size() < 256) {
    while (i < text.size() && ascii::is_space(text[i])) ++i;
    std::size_t j = i;
    while (j < text.size() && !ascii::is_space(text[j])) ++j;
    if (j > i) out.push_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

struct Reasons {
  std::vector<std::string> en;
  std::vector<std::string> fr;
  void add(std::string e, std::string f) {
    for (const std::string& known : en) {
      if (known == e) return;
    }
    en.push_back(std::move(e));
    fr.push_back(std::move(f));
  }
  LocalizedText joined() const {
    LocalizedText out;
    for (std::size_t i = 0; i < en.size(); ++i) {
      out.en += (i ? "; " : "") + en[i];
      out.fr += (i ? " ; " : "") + fr[i];
    }
    return out;
  }
};

bool has_word(std::string_view text, std::string_view word) {
  for (std::size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    const bool starts = at == 0 || !ascii::is_alnum(text[at - 1]);
    const std::size_t end = at + word.size();
    if (starts && (end == text.size() || !ascii::is_alnum(text[end]))) return true;
  }
  return false;
}

Reasons suspicious_arguments(std::string_view arguments, std::uint32_t show_command) {
  Reasons r;
  std::string lower = ascii::lowercase(arguments);
  // cmd drops a caret before an ordinary character: p^o^w^e^r^s^h^e^l^l is powershell to it.
  if (std::count(lower.begin(), lower.end(), '^') >= 3) {
    std::erase(lower, '^');
    r.add("words broken up with cmd escapes (^)", "mots découpés par des échappements de cmd (^)");
  }
  const std::vector<std::string_view> words = tokens(lower);
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string_view w = words[i];
    if (is_parameter(w, "encodedcommand", 1) || w == "-ec" || w == "/ec") {
      r.add("an encoded PowerShell command", "une commande PowerShell encodée");
    }
    if ((is_parameter(w, "windowstyle", 1) && !is_parameter(w, "encodedcommand", 1)) && i + 1 < words.size() &&
        (words[i + 1] == "hidden" || words[i + 1] == "1" || words[i + 1] == "h")) {
      r.add("a hidden window", "une fenêtre cachée");
    }
    if (w == "bypass" || w == "unrestricted") r.add("the script execution policy bypassed", "la stratégie d'exécution des scripts contournée");
  }
  for (const auto& [needle, en, fr] : std::array<std::array<std::string_view, 3>, 12>{{
           {"downloadstring", "a download (DownloadString)", "un téléchargement (DownloadString)"},
           {"downloadfile", "a download (DownloadFile)", "un téléchargement (DownloadFile)"},
           {"downloaddata", "a download (DownloadData)", "un téléchargement (DownloadData)"},
           {"net.webclient", "a download (Net.WebClient)", "un téléchargement (Net.WebClient)"},
           {"invoke-webrequest", "a download (Invoke-WebRequest)", "un téléchargement (Invoke-WebRequest)"},
           {"invoke-restmethod", "a download (Invoke-RestMethod)", "un téléchargement (Invoke-RestMethod)"},
           {"start-bitstransfer", "a download (Start-BitsTransfer)", "un téléchargement (Start-BitsTransfer)"},
           {"invoke-expression", "code run from a string (Invoke-Expression)", "du code exécuté depuis une chaîne (Invoke-Expression)"},
           {"frombase64string", "a payload decoded from base64", "une charge décodée depuis du base64"},
           {"-urlcache", "a download (certutil -urlcache)", "un téléchargement (certutil -urlcache)"},
           {"/transfer", "a download (bitsadmin /transfer)", "un téléchargement (bitsadmin /transfer)"},
           {"javascript:", "a javascript: address run by the tool", "une adresse javascript: exécutée par l'outil"},
       }}) {
    if (lower.find(needle) != std::string::npos) r.add(std::string(en), std::string(fr));
  }
  // Aliases are words of their own (base64 text is full of "iex").
  if (has_word(lower, "iwr")) r.add("a download (iwr)", "un téléchargement (iwr)");
  if (has_word(lower, "iex")) r.add("code run from a string (iex)", "du code exécuté depuis une chaîne (iex)");
  if (lower.find("http://") != std::string::npos || lower.find("https://") != std::string::npos) {
    r.add("a web address", "une adresse web");
  }
  if (lower.find("\\\\") != std::string::npos) r.add("a path on a Windows share", "un chemin sur un partage Windows");
  // Another tool started through the first (cmd /c start mshta…, conhost powershell…).
  for (std::string_view w : words) {
    const std::string program = program_of(w);
    if (const Tool* t = tool_named(program); t != nullptr && w.size() < 200) {
      r.add("starts " + std::string(t->en), "lance " + std::string(t->fr));
    }
  }
  if (show_command == 7) r.add("a minimised window", "une fenêtre réduite");
  return r;
}

// The script behind -EncodedCommand (base64 of UTF-16LE text), what the attacker hid from a
// reader of the command line; empty when there is none.
std::string decoded_command(std::string_view arguments) {
  const std::vector<std::string_view> words = tokens(arguments);
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    std::string name = ascii::lowercase(words[i]);
    std::erase(name, '^');
    if (!is_parameter(name, "encodedcommand", 1) && name != "-ec" && name != "/ec") continue;
    std::string raw;
    parse::decode_base64(words[i + 1], raw, kMaxDecodedCommandBytes);
    std::string text;
    parse::convert_to_utf8(raw, "UTF-16LE", text);
    return text;
  }
  return {};
}

// A share or WebDAV path (objects/remote_path.h), or a web address: either is fetched from another
// machine when the shortcut is opened.
bool remote_path(std::string_view path) {
  const std::string_view trimmed = ascii::trim_blanks(path);
  return objects::remote_path(trimmed).has_value() || ascii::istarts_with(trimmed, "http:") ||
         ascii::istarts_with(trimmed, "https:");
}

// An icon that makes a shortcut to a program look like a document or a folder.
bool document_icon(std::string_view icon, std::string_view target_program) {
  const std::string lower = ascii::lowercase(icon);
  if (lower.empty()) return false;
  for (std::string_view ext : {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".rtf", ".txt", ".jpg", ".png", ".odt"}) {
    if (lower.ends_with(ext)) return true;
  }
  for (std::string_view program : {"acrord32", "acrobat", "msedge", "winword", "excel", "powerpnt", "wordpad",
                                   "notepad", "shell32.dll", "imageres.dll", "explorer.exe"}) {
    if (lower.find(program) != std::string::npos && lower.find(target_program) == std::string::npos) return true;
  }
  return false;
}

void analyze(const Object& object, ObjectContext& context, const AnalyzerState* /*state*/, FindingSink& sink) {
  const objects::lnk::Shortcut link = objects::lnk::read_shortcut(object.bytes());
  if (!link.valid) return;
  if (!link.errors.empty()) {
    context.add_note(object, "shortcut not fully readable: " + link.errors.front() +
                                 (link.errors.size() > 1 ? " (and more)" : ""));
  }
  const std::string_view target = link.target();
  const std::string program = program_of(target);
  const std::string command = shown_command(target, link.arguments);

  // What the command runs, the encoded script included.
  const std::string decoded = decoded_command(link.arguments);
  const std::string examined = decoded.empty() ? link.arguments : link.arguments + "\n" + decoded;

  for (std::string_view url : parse::find_urls_in_code(examined, kMaxArgumentUrls)) {
    Url u = parse::normalize_url(url, UrlSource::kHref);
    context.add_url(object, std::move(u));
  }

  if (const Tool* tool = tool_named(program)) {
    const Reasons reasons = suspicious_arguments(examined, link.show_command);
    std::vector<Evidence> evidence{
        Evidence(object.id, "program", LocalizedText{std::string(tool->en) + " (" + std::string(tool->technique) + ")",
                                                     std::string(tool->fr) + " (" + std::string(tool->technique) + ")"}),
        Evidence(object.id, "command", command)};
    if (!decoded.empty()) evidence.emplace_back(object.id, "decoded_command", outputs::excerpt(decoded, kMaxEvidenceBytes));
    if (!reasons.en.empty()) evidence.emplace_back(object.id, "suspicious", reasons.joined());
    sink.emit(FindingId::LNK_COMMAND_EXECUTION, std::move(evidence), reasons.en.empty() ? 0.6 : 1.0);
  }

  // Padding: the command runs past what Explorer shows, with a long run of blanks or line breaks.
  if (target.size() + 1 + link.arguments.size() > kExplorerVisibleChars || link.arguments.find_first_of("\r\n") != std::string::npos) {
    std::size_t longest = 0, run = 0;
    bool line_break = false;
    for (char c : link.arguments) {
      run = ascii::is_space(c) ? run + 1 : 0;
      longest = std::max(longest, run);
      line_break |= c == '\n' || c == '\r';
    }
    if (longest >= kPaddingRun || line_break) {
      sink.emit(FindingId::LNK_HIDDEN_ARGUMENTS,
                {Evidence(object.id, "arguments",
                          LocalizedText{std::to_string(link.arguments.size()) + " characters of arguments, padded",
                                        std::to_string(link.arguments.size()) + " caractères d'arguments, remplis de blancs"}),
                 Evidence(object.id, "command", command)});
    }
  }

  if (document_icon(link.icon_location, program) && !program.empty()) {
    sink.emit(FindingId::LNK_DOCUMENT_ICON,
              {Evidence(object.id, "icon", outputs::excerpt(link.icon_location + "," + std::to_string(link.icon_index), kMaxEvidenceBytes)),
               Evidence(object.id, "target", outputs::excerpt(target, kMaxEvidenceBytes))});
  }

  std::vector<Evidence> remote;
  for (const auto& [field, path] : std::array<std::pair<const char*, const std::string*>, 5>{{
           {"target", &link.local_base_path},
           {"network_target", &link.network_path},
           {"environment_target", &link.environment_target},
           {"working_dir", &link.working_dir},
           {"icon", &link.icon_location},
       }}) {
    if (remote_path(*path)) remote.emplace_back(object.id, field, outputs::excerpt(*path, kMaxEvidenceBytes));
  }
  if (!remote.empty()) sink.emit(FindingId::LNK_REMOTE_TARGET, std::move(remote));
}

constexpr FindingId kEmits[] = {FindingId::LNK_COMMAND_EXECUTION, FindingId::LNK_HIDDEN_ARGUMENTS,
                                FindingId::LNK_DOCUMENT_ICON, FindingId::LNK_REMOTE_TARGET};

}  // namespace

const ObjectAnalyzerDescriptor& descriptor() {
  static const ObjectAnalyzerDescriptor kDescriptor{
      "lnk",
      "Windows shortcuts: commands and script hosts they start, padded arguments, document icons, remote targets",
      kEmits,
      &accepts,
      nullptr,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::lnk
