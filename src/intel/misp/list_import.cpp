// Plain and CSV indicator lists (see list_import.h).
#include "intel/misp/list_import.h"

#include <utility>
#include <vector>

#include "common/ascii.h"
#include "common/list_file.h"
#include "common/utf8_clip.h"

namespace vigie::intel::misp {
namespace {

// Calls `each(line_number, line)` for every line of `text`, CR of CRLF removed.
template <typename Each>
void for_each_line(std::string_view text, Each each) {
  std::size_t number = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    each(++number, line);
  }
}

bool is_comment_or_blank(std::string_view line) {
  line = ascii::trim_blanks(line);
  return line.empty() || line.front() == '#';
}

std::string where_of(std::string_view list_name, std::size_t line) {
  return std::string(list_name) + ":" + std::to_string(line);
}

Indicator indicator_for(std::string_view list_name, std::size_t line, IndicatorValue value, std::string_view comment) {
  Indicator indicator;
  indicator.id = "list:" + std::string(list_name) + ":" + std::to_string(line);
  indicator.source = std::string(list_name);
  indicator.description = std::string(utf8::clip(ascii::trim_blanks(comment), 4096));
  indicator.values.push_back(std::move(value));
  return indicator;
}

// RFC 4180 fields of one line; false when a quoted field is not closed or text follows its quote.
bool split_csv_line(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  std::size_t at = 0;
  while (true) {
    std::string field;
    while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
    if (at < line.size() && line[at] == '"') {
      ++at;
      bool closed = false;
      while (at < line.size()) {
        if (line[at] == '"') {
          if (at + 1 < line.size() && line[at + 1] == '"') {
            field.push_back('"');
            at += 2;
            continue;
          }
          ++at;
          closed = true;
          break;
        }
        field.push_back(line[at++]);
      }
      if (!closed) return false;
      while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
      if (at < line.size() && line[at] != ',') return false;
    } else {
      const std::size_t comma = line.find(',', at);
      field = std::string(ascii::trim_blanks(line.substr(at, comma == std::string_view::npos ? comma : comma - at)));
      at = comma == std::string_view::npos ? line.size() : comma;
    }
    fields.push_back(std::move(field));
    if (at >= line.size()) return true;
    ++at;  // the comma
  }
}

struct Columns {
  std::size_t value = 0;
  std::optional<std::size_t> type;
  std::optional<std::size_t> comment;
};

}  // namespace

ImportResult import_plain_list(std::string_view text, std::string_view list_name, ValueKind kind) {
  ImportResult out;
  for_each_line(text, [&](std::size_t number, std::string_view line) {
    if (is_comment_or_blank(line)) return;
    std::string_view comment;
    // A trailing comment needs a blank before '#': URLs keep their fragments.
    for (std::size_t i = 1; i < line.size(); ++i) {
      if (line[i] == '#' && (line[i - 1] == ' ' || line[i - 1] == '\t')) {
        comment = line.substr(i + 1);
        line = line.substr(0, i);
        break;
      }
    }
    auto value = check_value(kind, line);
    if (!value) {
      out.problems.push_back({where_of(list_name, number), value.error().message});
      return;
    }
    out.indicators.push_back(indicator_for(list_name, number, std::move(*value), comment));
  });
  return out;
}

ImportResult import_csv_list(std::string_view text, std::string_view list_name, std::optional<ValueKind> declared) {
  ImportResult out;
  Columns columns;
  bool columns_known = false;
  std::vector<std::string> fields;
  for_each_line(text, [&](std::size_t number, std::string_view line) {
    if (is_comment_or_blank(line)) return;
    if (!split_csv_line(line, fields)) {
      out.problems.push_back({where_of(list_name, number), "a quoted field is not closed, or text follows its closing quote"});
      return;
    }
    if (!columns_known) {
      columns_known = true;
      bool header = false;
      for (std::size_t i = 0; i < fields.size(); ++i) {
        const std::string name = ascii::lowercase(fields[i]);
        if (name == "value") {
          columns.value = i;
          header = true;
        } else if (name == "type") {
          columns.type = i;
        } else if (name == "comment") {
          columns.comment = i;
        }
      }
      if (header) return;
      if (declared) {
        columns.comment = 1;
      } else {
        columns.type = 1;
        columns.comment = 2;
      }
    }
    const auto field = [&](std::optional<std::size_t> index) -> std::string_view {
      return index && *index < fields.size() ? std::string_view(fields[*index]) : std::string_view();
    };
    std::optional<ValueKind> kind = declared;
    if (const std::string_view type = field(columns.type); !type.empty()) {
      kind = value_kind_from_name(type);
      if (!kind) {
        out.problems.push_back({where_of(list_name, number), "\"" + std::string(utf8::clip(type, 64)) + "\" is not a known indicator type"});
        return;
      }
    }
    if (!kind) {
      out.problems.push_back({where_of(list_name, number), "the row has no type and the list declares none"});
      return;
    }
    auto value = check_value(*kind, field(columns.value));
    if (!value) {
      out.problems.push_back({where_of(list_name, number), value.error().message});
      return;
    }
    out.indicators.push_back(indicator_for(list_name, number, std::move(*value), field(columns.comment)));
  });
  return out;
}

Result<ImportResult> import_list_file(const std::string& path, ListFormat format, std::optional<ValueKind> declared,
                                      std::uint64_t max_bytes) {
  if (format == ListFormat::kPlain && !declared) {
    return fail(Error::config(path + ": a plain list needs a declared type"));
  }
  auto text = read_config_file(path, max_bytes);
  if (!text) return fail(std::move(text.error()));
  const std::size_t slash = path.rfind('/');
  const std::string_view name = slash == std::string::npos ? std::string_view(path) : std::string_view(path).substr(slash + 1);
  if (format == ListFormat::kPlain) return import_plain_list(*text, name, *declared);
  return import_csv_list(*text, name, declared);
}

}  // namespace vigie::intel::misp
