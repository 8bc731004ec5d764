// Passwords a message gives for its encrypted attachment, read from its text the way a reader
// would: after "mot de passe", "mdp", "code d'accès", "password", "pwd", "pass"... and a separator
// (":", "-", "=", "est", "is"), possibly after a few words ("mot de passe de l'archive : 2025"), as
// a quoted string, a single word, or alone on the next line. A lure has to tell its target the
// password, so it is there in plain words; the archives analyzer tries each candidate on the
// archive. Few and bounded: at most kMaxPasswordCandidates, from at most kMaxPasswordTextBytes of
// text, the stronger phrases ("mot de passe", "password") first.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigie::analyzers::archives {

inline constexpr std::size_t kMaxPasswordCandidates = 8;
inline constexpr std::size_t kMaxPasswordTextBytes = 256u << 10;
inline constexpr std::size_t kMaxPasswordBytes = 64;

// Candidates in order of the phrase's strength, then of the text; no duplicates.
std::vector<std::string> password_candidates(std::span<const std::string_view> texts);

}  // namespace vigie::analyzers::archives
