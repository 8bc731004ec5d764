// paste_and_run: text that walks the reader through running a command themselves ("ClickFix",
// T1204.004): open the Run dialog (Win+R), paste what the page or the mail put on the clipboard
// (Ctrl+V), press Enter. APT28 sent it to Ukrainian local government behind a fake reCAPTCHA,
// Kimsuky and MuddyWater as "fix the document" steps; the command never crosses the mail filter
// as a file. Reads the readable texts (visible and hidden) of bodies and text attachments: the
// keystroke instructions, and a command line (PowerShell, mshta, an encoded or downloading
// command) shown beside them. Owns only the markers.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "common/ascii.h"

namespace vigie::analyzers::paste_and_run {
namespace {

using verdict::FindingId;

// A text is read up to this many bytes: the instructions sit near the top of a lure.
constexpr std::size_t kMaxTextBytes = 256 * 1024;
constexpr std::size_t kExcerptBytes = 120;
// Without a command beside them, the keystrokes alone (the command waits on the clipboard).
constexpr double kInstructionsOnlyConfidence = 0.7;

// In the text lowercased without whitespace, so that "Win + R", "WIN+R", "touche Windows + R"
// and "Windows key+R" read alike.
constexpr std::array<std::string_view, 4> kRunDialog = {"win+r", "windows+r", "windowskey+r", "win+x"};
constexpr std::array<std::string_view, 2> kPaste = {"ctrl+v", "control+v"};
// In the lowercased text as written.
constexpr std::array<std::string_view, 12> kCommands = {
    "powershell", "mshta", "cmd /c", "cmd.exe", "iex(", "iex (", "invoke-expression", "-encodedcommand",
    "invoke-webrequest", "certutil", "rundll32", "msiexec"};

std::string compact_lowercase(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (!ascii::is_space(c)) out.push_back(ascii::lower(c));
  }
  return out;
}

template <std::size_t N>
bool has_any(std::string_view text, const std::array<std::string_view, N>& words) {
  for (std::string_view w : words) {
    if (text.find(w) != std::string_view::npos) return true;
  }
  return false;
}

std::string excerpt(std::string_view text, std::size_t at) {
  const std::size_t from = at > kExcerptBytes / 4 ? at - kExcerptBytes / 4 : 0;
  std::string out(text.substr(from, kExcerptBytes));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return out;
}

// The keystroke instructions in `text`, if it gives them.
std::optional<Evidence> instructions_in(std::string_view text, ObjectId object, const std::string& field) {
  text = text.substr(0, kMaxTextBytes);
  // Every spelling of the keystrokes has a '+'; most text has none, and is not copied.
  if (text.find('+') == std::string_view::npos) return std::nullopt;
  const std::string compact = compact_lowercase(text);
  if (!has_any(compact, kRunDialog) || !has_any(compact, kPaste)) return std::nullopt;
  const std::string lower = ascii::lowercase(text);
  std::size_t at = lower.find("ctrl");
  if (at == std::string::npos) at = lower.find("control");
  return Evidence(object, field, "keystrokes: " + excerpt(text, at == std::string::npos ? 0 : at));
}

// A command line in `text`, if it shows one.
std::optional<Evidence> command_in(std::string_view text, ObjectId object, const std::string& field) {
  text = text.substr(0, kMaxTextBytes);
  const std::string lower = ascii::lowercase(text);
  for (std::string_view command : kCommands) {
    const std::size_t at = lower.find(command);
    if (at != std::string::npos) return Evidence(object, field, "command: " + excerpt(text, at));
  }
  return std::nullopt;
}

// Each readable text of the message, visible and hidden, with where it is.
template <class Visit>
std::optional<Evidence> first_in_texts(const ScanContext& context, Visit visit) {
  for (const facts::ReadableText& readable : context.facts.readable_texts()) {
    const ObjectId object = context.objects.of_part(readable.part);
    if (auto found = visit(readable.text, object, "text")) return found;
    if (auto found = visit(readable.hidden, object, "hidden text")) return found;
  }
  return std::nullopt;
}

void analyze(const ParsedMessage& /*message*/, const ScanContext& context, const AnalyzerState* /*state*/,
             FindingSink& sink) {
  std::optional<Evidence> instructions = first_in_texts(context, instructions_in);
  if (!instructions) return;
  // Only then are the texts searched for a command (the costlier search).
  std::optional<Evidence> command = first_in_texts(context, command_in);
  std::vector<Evidence> evidence{std::move(*instructions)};
  const double confidence = command ? 1.0 : kInstructionsOnlyConfidence;
  if (command) evidence.push_back(std::move(*command));
  sink.emit(FindingId::PASTE_AND_RUN_INSTRUCTIONS, std::move(evidence), confidence);
}

constexpr std::array kEmits = {FindingId::PASTE_AND_RUN_INSTRUCTIONS};

}  // namespace

const AnalyzerDescriptor& descriptor() {
  static const AnalyzerDescriptor kDescriptor{
      "paste_and_run",
      "Instructions to paste and run a command (Win+R, Ctrl+V: the ClickFix lure)",
      kEmits,
      nullptr,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::paste_and_run
