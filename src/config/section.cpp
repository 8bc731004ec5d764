// Component configuration sections (see section.h).
#include "config/section.h"

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "common/list_file.h"

namespace vigie::config {

ConfigSection section_from_toml(std::string_view text, std::string name, std::string file) {
  try {
    auto document = std::make_shared<const toml::table>(toml::parse(text));
    const toml::table& table = *document;
    return section_of(std::move(document), table, std::move(name), std::move(file));
  } catch (const toml::parse_error& e) {
    throw std::invalid_argument("section_from_toml: " + std::string(e.description()));
  }
}

ConfigSection section_of(std::shared_ptr<const toml::table> document, const toml::table& table,
                         std::string name, std::string file) {
  auto data = std::make_shared<ConfigSection::Data>();
  data->file = std::move(file);
  data->name = std::move(name);
  data->document = std::move(document);
  data->table = &table;
  return ConfigSection(std::move(data));
}

std::string located_error(std::string_view file, const toml::node& node, std::string_view key,
                          std::string_view message) {
  const toml::source_region& where = node.source();
  std::ostringstream out;
  out << file << ':' << where.begin.line << ':' << where.begin.column << ": " << key << ": " << message;
  return out.str();
}

SectionReader::SectionReader(const ConfigSection& section) : data_(section.data()) {}

const toml::node* SectionReader::find(std::string_view key) {
  asked_.emplace_back(key);
  return data_ == nullptr ? nullptr : data_->table->get(key);
}

std::string SectionReader::full(std::string_view key) const {
  return data_ == nullptr ? std::string(key) : data_->name + "." + std::string(key);
}

std::string SectionReader::resolve(std::string path) const {
  if (data_ == nullptr || data_->file.empty() || path.empty() || std::filesystem::path(path).is_absolute()) {
    return path;
  }
  return (std::filesystem::path(data_->file).parent_path() / path).lexically_normal().string();
}

void SectionReader::string(std::string_view key, std::string& out) {
  const toml::node* node = find(key);
  if (node == nullptr) return;
  if (!node->is_string()) {
    errors_.push_back(located_error(data_->file, *node, full(key), "expected a string"));
    return;
  }
  out = *node->value<std::string>();
}

void SectionReader::path(std::string_view key, std::string& out) {
  std::string value;
  const std::size_t errors = errors_.size();
  string(key, value);
  if (errors_.size() == errors && !value.empty()) out = resolve(std::move(value));
}

void SectionReader::paths(std::string_view key, std::vector<std::string>& out,
                          std::string (*problem_of)(const std::string&)) {
  const toml::node* node = find(key);
  if (node == nullptr) return;
  const toml::array* list = node->as_array();
  if (list == nullptr) {
    errors_.push_back(located_error(data_->file, *node, full(key), "expected an array of strings"));
    return;
  }
  for (const toml::node& item : *list) {
    if (!item.is_string()) {
      errors_.push_back(located_error(data_->file, item, full(key), "expected a string"));
      continue;
    }
    std::string path = resolve(*item.value<std::string>());
    if (const std::string problem = problem_of(path); !problem.empty()) {
      errors_.push_back(located_error(data_->file, item, full(key), "'" + path + "' " + problem));
      continue;
    }
    out.push_back(std::move(path));
  }
}

void SectionReader::files(std::string_view key, std::vector<std::string>& out) { paths(key, out, &file_problem); }

void SectionReader::directories(std::string_view key, std::vector<std::string>& out) {
  paths(key, out, &directory_problem);
}

void SectionReader::boolean(std::string_view key, bool& out) {
  const toml::node* node = find(key);
  if (node == nullptr) return;
  if (!node->is_boolean()) {
    errors_.push_back(located_error(data_->file, *node, full(key), "expected true or false"));
    return;
  }
  out = *node->value<bool>();
}

void SectionReader::number(std::string_view key, double& out, double min, double max, bool min_exclusive) {
  const toml::node* node = find(key);
  if (node == nullptr) return;
  if (!node->is_number()) {
    errors_.push_back(located_error(data_->file, *node, full(key), "expected a number"));
    return;
  }
  const double value = *node->value<double>();
  if ((min_exclusive ? value <= min : value < min) || value > max) {
    std::ostringstream range;
    range << "must be " << (min_exclusive ? "above " : "at least ") << min << " and at most " << max;
    errors_.push_back(located_error(data_->file, *node, full(key), range.str()));
    return;
  }
  out = value;
}

const toml::node* SectionReader::node(std::string_view key) { return find(key); }

void SectionReader::error_at(const toml::node& where, std::string_view key, std::string_view message) {
  errors_.push_back(located_error(data_ == nullptr ? std::string_view() : std::string_view(data_->file), where,
                                  full(key), message));
}

void SectionReader::error(std::string_view key, std::string_view message) {
  if (data_ == nullptr) {
    errors_.push_back(std::string(key) + ": " + std::string(message));
  } else {
    errors_.push_back(located_error(data_->file, *data_->table, full(key), message));
  }
}

Result<void> SectionReader::finish() {
  if (data_ != nullptr) {
    for (const auto& [key, node] : *data_->table) {
      if (std::find(asked_.begin(), asked_.end(), key.str()) == asked_.end()) {
        errors_.push_back(located_error(data_->file, node, full(key.str()), "unknown key"));
      }
    }
  }
  if (errors_.empty()) return {};
  std::string all;
  for (const std::string& e : errors_) all += (all.empty() ? "" : "\n") + e;
  errors_.clear();
  return fail(Error::config(all));
}

}  // namespace vigie::config
