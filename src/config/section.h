// Reading one component's own configuration section ([analyzers.<name>]): the component asks for
// its keys with the types it expects, and every mistake becomes a "file:line:column: key: message"
// error, all of them in one pass, the same way load_config() reports the core sections. Keys the
// component did not ask for are unknown keys. Paths are resolved against the configuration file's
// directory, as load_config() does for its own.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "vigie/config.h"
#include "vigie/result.h"

namespace vigie {

struct ConfigSection::Data {
  std::string file;   // the configuration file ("" for built-in defaults)
  std::string name;   // "analyzers.lure_language"
  // The whole parsed file, kept alive because a copied table loses its line and column.
  std::shared_ptr<const toml::table> document;
  const toml::table* table = nullptr;  // the section, inside document
};

namespace config {

// A section parsed from TOML text, for tests and for components configured in code. Throws
// std::invalid_argument on a syntax error (a bug in the caller's text).
ConfigSection section_from_toml(std::string_view text, std::string name, std::string file = "(inline)");

// The section `table` of `document` (the file `file` as parsed), under `name`.
ConfigSection section_of(std::shared_ptr<const toml::table> document, const toml::table& table,
                         std::string name, std::string file);

// "file:line:column: key: message", the form every configuration error takes.
std::string located_error(std::string_view file, const toml::node& node, std::string_view key,
                          std::string_view message);

class SectionReader {
 public:
  // An empty section reads as a section without keys.
  explicit SectionReader(const ConfigSection& section);

  // Each reader leaves `out` unchanged when the key is absent or wrong (and records the error).
  void string(std::string_view key, std::string& out);
  // A file path, resolved against the configuration file's directory; the file need not exist
  // yet (a model that `vigie learn` will write).
  void path(std::string_view key, std::string& out);
  // Paths of files that must be readable now (lists), resolved likewise: a missing file or a
  // directory is an error at its position, found with every other error in one pass.
  void files(std::string_view key, std::vector<std::string>& out);
  // Paths of directories that must exist now (rule folders), resolved likewise, each error at its
  // position.
  void directories(std::string_view key, std::vector<std::string>& out);
  // true or false.
  void boolean(std::string_view key, bool& out);
  // A number in (min, max]: `min_exclusive` says whether min itself is refused.
  void number(std::string_view key, double& out, double min, double max, bool min_exclusive);

  // The node of `key` as written, for settings a typed reader above cannot express (an array of
  // tables); nullptr when absent. The caller checks it and reports through error_at().
  const toml::node* node(std::string_view key);
  // Records an error about `key` (a path under this section: "lists.codes") at `where`.
  void error_at(const toml::node& where, std::string_view key, std::string_view message);
  // Records an error about `key` at the section's own position.
  void error(std::string_view key, std::string_view message);
  // Whether a key read so far was wrong: a component may then skip the costly part of its start-up
  // (the engine reports the errors through finish() and does not start).
  bool has_errors() const { return !errors_.empty(); }
  // Every error so far plus one per key nobody asked for; ok when there is none.
  Result<void> finish();

 private:
  const toml::node* find(std::string_view key);
  std::string full(std::string_view key) const;
  std::string resolve(std::string path) const;
  // files() and directories(): `problem` says what is wrong with a resolved path ("" when nothing).
  void paths(std::string_view key, std::vector<std::string>& out, std::string (*problem)(const std::string&));

  const ConfigSection::Data* data_;
  std::vector<std::string> asked_;
  std::vector<std::string> errors_;
};

}  // namespace config
}  // namespace vigie
