// Result<T>: the return type of every operation that can fail on expected conditions (bad input,
// unreadable file, invalid configuration). Exceptions are reserved for broken invariants and
// start-up configuration errors. The alias lives here alone so that moving to std::expected is a
// one-line change.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include <tl/expected.hpp>

#include "vigie/localized_text.h"

namespace vigie {

enum class ErrorCode : std::uint8_t {
  kInvalidArgument,  // the caller passed something unusable (usage error)
  kIo,               // the operating system refused a read or write
  kLimit,            // input exceeds a hard limit before any parsing (e.g. message size)
  kConfig,           // configuration file is invalid
  kUnsupported,      // a requested feature is not implemented
};

struct Error {
  ErrorCode code;
  std::string message;
  // The message in French when an analyst may read it (a record's syntax error inside an
  // authentication reason); empty for the errors only an operator reads.
  std::string message_fr = {};

  // An invalid argument whose message is written in both languages.
  static Error invalid_argument_in_words(LocalizedText m) {
    std::string french = french_unless_same(m);
    return {ErrorCode::kInvalidArgument, std::move(m.en), std::move(french)};
  }
  const std::string& message_in_french() const { return message_fr.empty() ? message : message_fr; }

  static Error invalid_argument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
  static Error io(std::string m) { return {ErrorCode::kIo, std::move(m)}; }
  static Error limit(std::string m) { return {ErrorCode::kLimit, std::move(m)}; }
  static Error config(std::string m) { return {ErrorCode::kConfig, std::move(m)}; }
  static Error unsupported(std::string m) { return {ErrorCode::kUnsupported, std::move(m)}; }
};

template <typename T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(Error e) { return tl::unexpected<Error>(std::move(e)); }

}  // namespace vigie
