// The content model: how many reported phishing and legitimate messages the organisation has fed
// it, and for every token, in how many of each it appeared. Owns the model file format, its
// validation and limits, learning, and the atomic rewrite of the file.
//
// The file is text, so an operator can read, diff and grep it:
//   # vigie content model v1 phish_messages=N ham_messages=M
//   token<TAB>phish_count<TAB>ham_count
// one line per token, sorted by token (bytewise). Loading checks everything — the header, the
// UTF-8 and length of each token, duplicates, counts above the message totals, file size and token
// count — and names the file and line of the first fault. A model is never shipped with vigie: each
// site trains its own (`vigie learn`), on its own mail.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "vigie/result.h"

namespace vigie::intel::content_model {

// Hard limits of a model file, so a corrupt or hostile file cannot exhaust memory.
inline constexpr std::uint64_t kMaxModelFileBytes = 256ull * 1024 * 1024;
inline constexpr std::size_t kMaxModelTokens = 4'000'000;
// Above this many tokens, saving drops the rarest tokens (seen in one message, then two…): they
// carry almost no evidence (Robinson's f stays near 0.5) and are most of a large model.
inline constexpr std::size_t kPruneAbove = 1'000'000;

enum class Label { kPhish, kHam };

struct TokenCounts {
  std::uint32_t phish = 0;  // reported phishing messages that contained the token
  std::uint32_t ham = 0;    // legitimate messages that contained it
};

// What the first line of a model file says.
struct ModelHeader {
  std::uint32_t phish_messages = 0;
  std::uint32_t ham_messages = 0;
};

class ContentModel {
 public:
  ContentModel() = default;

  // Reads and validates a model file. A missing file is an error (ErrorCode::kIo) like any other
  // unreadable one; callers that accept "not trained yet" check for existence first.
  static Result<ContentModel> load(const std::string& path);
  // Validates `contents` as a model file; `name` prefixes error locations ("name:line: …").
  static Result<ContentModel> parse(std::string_view contents, std::string_view name);
  // Reads only the header line of a model file: how much it has learned, without loading it.
  static Result<ModelHeader> read_header(const std::string& path);

  // Counts one message, given its distinct tokens. Fails when the message count of that label
  // is at its maximum (the file could not represent more).
  Result<void> learn(std::span<const std::string> distinct_tokens, Label label);
  // Writes the model to `path` atomically (a temporary file beside it, then rename): a reader
  // sees the old model or the new one, never half of one. Prunes to kPruneAbove tokens first.
  // A new file is readable by its owner only (it holds words of the organisation's mail); a
  // replaced one keeps its permissions.
  Result<void> save(const std::string& path);
  // Drops the rarest tokens until at most `max_tokens` remain (all tokens as rare as the first one
  // that does not fit go, so the result is deterministic).
  void prune(std::size_t max_tokens);

  // Counts of `token`, nullptr when it was never seen.
  const TokenCounts* find(std::string_view token) const;
  const ModelHeader& header() const { return header_; }
  std::size_t token_count() const { return counts_.size(); }
  // The file contents save() writes.
  std::string serialize() const;

 private:
  struct TransparentHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  ModelHeader header_;
  std::unordered_map<std::string, TokenCounts, TransparentHash, std::equal_to<>> counts_;
};

}  // namespace vigie::intel::content_model
