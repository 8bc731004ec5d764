// The content model file: parsing with validation, learning, atomic save (see model.h).
#include "intel/content_model/model.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <vector>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "common/atomic_file.h"
#include "intel/content_model/tokenizer.h"

namespace vigie::intel::content_model {
namespace {

constexpr std::string_view kHeaderPrefix = "# vigie content model v1 ";
constexpr std::string_view kHeaderFormat =
    "# vigie content model v1 phish_messages=N ham_messages=M";

Error at_line(std::string_view name, std::size_t line, const std::string& message) {
  return Error::config(std::string(name) + ":" + std::to_string(line) + ": " + message);
}

bool parse_count(std::string_view text, std::uint32_t& value) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

// "" when `token` can be a line of the file, else what is wrong with it.
std::string token_problem(std::string_view token) {
  if (token.empty()) return "empty token";
  if (token.size() > kMaxTokenBytes) {
    return "token longer than " + std::to_string(kMaxTokenBytes) + " bytes";
  }
  for (int32_t i = 0, length = static_cast<int32_t>(token.size()); i < length;) {
    UChar32 c;
    U8_NEXT(token.data(), i, length, c);
    if (c < 0) return "token is not valid UTF-8";
    if (u_iscntrl(c) || u_isUWhiteSpace(c)) return "token contains a control or space character";
  }
  return "";
}

Result<ModelHeader> parse_header(std::string_view line, std::string_view name) {
  ModelHeader header;
  const auto invalid = [&] {
    return fail(at_line(name, 1, "not a vigie content model: the first line must be '" +
                                     std::string(kHeaderFormat) + "'"));
  };
  if (!line.starts_with(kHeaderPrefix)) return invalid();
  line.remove_prefix(kHeaderPrefix.size());
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) return invalid();
  const std::string_view phish = line.substr(0, space);
  const std::string_view ham = line.substr(space + 1);
  if (!phish.starts_with("phish_messages=") || !ham.starts_with("ham_messages=") ||
      !parse_count(phish.substr(15), header.phish_messages) ||
      !parse_count(ham.substr(13), header.ham_messages)) {
    return invalid();
  }
  return header;
}

// Reads at most `max_bytes` of a file, failing when it is larger.
Result<std::string> read_file(const std::string& path, std::uint64_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::io(path + ": cannot read the content model: " + std::strerror(errno)));
  std::string contents;
  char buffer[64 * 1024];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    contents.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (contents.size() > max_bytes) {
      return fail(Error::limit(path + ": the content model is larger than " +
                               std::to_string(max_bytes / (1024 * 1024)) + " MiB"));
    }
  }
  if (in.bad()) return fail(Error::io(path + ": read error"));
  return contents;
}

}  // namespace

Result<ContentModel> ContentModel::parse(std::string_view contents, std::string_view name) {
  if (contents.size() > kMaxModelFileBytes) {
    return fail(Error::limit(std::string(name) + ": the content model is larger than " +
                             std::to_string(kMaxModelFileBytes / (1024 * 1024)) + " MiB"));
  }
  ContentModel model;
  std::size_t line_number = 0;
  while (!contents.empty()) {
    ++line_number;
    const std::size_t newline = contents.find('\n');
    const std::string_view line = contents.substr(0, newline);
    contents.remove_prefix(newline == std::string_view::npos ? contents.size() : newline + 1);
    if (line_number == 1) {
      Result<ModelHeader> header = parse_header(line, name);
      if (!header) return fail(header.error());
      model.header_ = *header;
      continue;
    }
    const std::size_t tab1 = line.find('\t');
    const std::size_t tab2 = tab1 == std::string_view::npos ? tab1 : line.find('\t', tab1 + 1);
    if (tab2 == std::string_view::npos || line.find('\t', tab2 + 1) != std::string_view::npos) {
      return fail(at_line(name, line_number, "expected token<TAB>phish_count<TAB>ham_count"));
    }
    const std::string_view token = line.substr(0, tab1);
    if (const std::string problem = token_problem(token); !problem.empty()) {
      return fail(at_line(name, line_number, problem));
    }
    TokenCounts counts;
    if (!parse_count(line.substr(tab1 + 1, tab2 - tab1 - 1), counts.phish) ||
        !parse_count(line.substr(tab2 + 1), counts.ham)) {
      return fail(at_line(name, line_number, "counts must be non-negative integers"));
    }
    if (counts.phish > model.header_.phish_messages || counts.ham > model.header_.ham_messages) {
      return fail(at_line(name, line_number,
                          "a token cannot appear in more messages than the model has learned "
                          "(header: phish_messages=" + std::to_string(model.header_.phish_messages) +
                              " ham_messages=" + std::to_string(model.header_.ham_messages) + ")"));
    }
    if (counts.phish == 0 && counts.ham == 0) {
      return fail(at_line(name, line_number, "a token needs a count above zero"));
    }
    if (model.counts_.size() == kMaxModelTokens) {
      return fail(at_line(name, line_number,
                          "more than " + std::to_string(kMaxModelTokens) + " tokens"));
    }
    if (!model.counts_.emplace(std::string(token), counts).second) {
      return fail(at_line(name, line_number, "duplicate token '" + std::string(token) + "'"));
    }
  }
  if (line_number == 0) return fail(at_line(name, 1, "empty file, not a vigie content model"));
  return model;
}

Result<ContentModel> ContentModel::load(const std::string& path) {
  Result<std::string> contents = read_file(path, kMaxModelFileBytes);
  if (!contents) return fail(contents.error());
  return parse(*contents, path);
}

Result<ModelHeader> ContentModel::read_header(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::io(path + ": cannot read the content model: " + std::strerror(errno)));
  // The header is short; reading a bounded prefix keeps a newline-less huge file cheap.
  std::string prefix(256, '\0');
  in.read(prefix.data(), static_cast<std::streamsize>(prefix.size()));
  prefix.resize(static_cast<std::size_t>(in.gcount()));
  return parse_header(std::string_view(prefix).substr(0, prefix.find('\n')), path);
}

Result<void> ContentModel::learn(std::span<const std::string> distinct_tokens, Label label) {
  std::uint32_t& messages = label == Label::kPhish ? header_.phish_messages : header_.ham_messages;
  if (messages == UINT32_MAX) {
    return fail(Error::limit("the content model cannot count more messages of this kind"));
  }
  for (const std::string& token : distinct_tokens) {
    if (const std::string problem = token_problem(token); !problem.empty()) {
      return fail(Error::invalid_argument(problem + ": '" + token + "'"));
    }
  }
  ++messages;
  for (const std::string& token : distinct_tokens) {
    TokenCounts& counts = counts_[token];
    ++(label == Label::kPhish ? counts.phish : counts.ham);
  }
  return {};
}

void ContentModel::prune(std::size_t max_tokens) {
  if (counts_.size() <= max_tokens) return;
  std::vector<std::uint64_t> totals;
  totals.reserve(counts_.size());
  for (const auto& [token, counts] : counts_) totals.push_back(std::uint64_t{counts.phish} + counts.ham);
  // Tokens as rare as the (max_tokens + 1)-th most frequent one all go: ties are not broken
  // arbitrarily, so the result does not depend on the hash map's order.
  std::nth_element(totals.begin(), totals.begin() + static_cast<std::ptrdiff_t>(max_tokens), totals.end(),
                   std::greater<>());
  const std::uint64_t cut = totals[max_tokens];
  std::erase_if(counts_, [&](const auto& entry) {
    return std::uint64_t{entry.second.phish} + entry.second.ham <= cut;
  });
}

std::string ContentModel::serialize() const {
  std::vector<const std::pair<const std::string, TokenCounts>*> sorted;
  sorted.reserve(counts_.size());
  for (const auto& entry : counts_) sorted.push_back(&entry);
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
  std::string out = std::string(kHeaderPrefix) + "phish_messages=" + std::to_string(header_.phish_messages) +
                    " ham_messages=" + std::to_string(header_.ham_messages) + "\n";
  for (const auto* entry : sorted) {
    ((((out += entry->first) += '\t') += std::to_string(entry->second.phish)) += '\t') +=
        std::to_string(entry->second.ham);
    out += '\n';
  }
  return out;
}

Result<void> ContentModel::save(const std::string& path) {
  prune(kPruneAbove);
  const std::string contents = serialize();
  // The model holds words of the organisation's own mail: private to its owner unless the
  // operator has opened up the existing file, whose permissions the new one keeps.
  struct stat existing {};
  const mode_t mode = ::stat(path.c_str(), &existing) == 0 ? (existing.st_mode & 0777) : 0600;
  return replace_file(path, contents, mode, "the content model");
}

const TokenCounts* ContentModel::find(std::string_view token) const {
  const auto it = counts_.find(token);
  return it == counts_.end() ? nullptr : &it->second;
}

}  // namespace vigie::intel::content_model
