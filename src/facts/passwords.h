// Passwords a message gives for its encrypted attachments, read from its text the way a reader
// would: after "mot de passe", "mdp", "code d'accès", "password", "pwd", "senha", "Passwort",
// "contraseña", "пароль", "hasło", "pass"... and a separator (":", "-", "=", "est", "is"), possibly
// after a few words ("mot de passe de l'archive : 2025"), as a quoted string, a single word, or
// alone on the next line; the value is kept as written (case matters in a password). A lure has to
// tell its target the password, so it is there in plain words; the extractors of encrypted content
// (archives, PDF, Office documents) try each candidate. The one reader of the engine, so that an
// archive and a document in the same message are tried with the same passwords. Few and bounded:
// at most kMaxPasswordCandidates, each at most kMaxPasswordBytes, from at most
// kMaxPasswordTextBytes of text, the stronger phrases ("mot de passe", "password") first.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/message.h"

namespace vigie::facts {

inline constexpr std::size_t kMaxPasswordCandidates = 8;
inline constexpr std::size_t kMaxPasswordTextBytes = 256u << 10;
inline constexpr std::size_t kMaxPasswordBytes = 64;

// Candidates in order of the phrase's strength, then of the text; no duplicates.
std::vector<std::string> password_candidates(std::span<const std::string_view> texts);

// The candidates of a message, from what its reader reads: the subject, the body (each text leaf
// as visible_texts() gives it), then text attachments (a "password.txt" beside the archive).
std::vector<std::string> message_passwords(const ParsedMessage& message);

}  // namespace vigie::facts
