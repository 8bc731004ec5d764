// Tokens of a message for the content classifier: what the reader sees and nothing else.
//
// Read: the Subject, the From display name, the text of text/* parts and the visible text of
// HTML parts (hidden HTML text is left out: it is where "Bayes poisoning" puts legitimate-looking
// words), plus the registrable domain of every link host ("host:example.com", "host:ip" for an IP
// literal) and the file extension of every attachment ("attach:pdf").
// Never read: transport and trace headers (Received, Authentication-Results, X-*, Message-ID,
// Date…). They describe the infrastructure that collected the mail, not the attack, and a model
// trained on them learns the era and the mailbox of its training set instead of the technique.
// Nor the recipients: the words of the To, Cc, Bcc, Delivered-To and X-Original-To addresses and
// names are removed from the tokens wherever they appear ("Dear jdupont", "the password of
// jdupont@ours.example expires"). They name the victim, not the attack, and a model must not
// learn which mailbox a site's reported phishing happened to reach.
//
// Words are runs of letters, digits and combining marks (Unicode properties, so every script
// splits the same way), NFKC case-folded (ICU), so "PayPal", "PAYPAL" and "𝐏𝐚𝐲𝐏𝐚𝐥" are one
// token and zero-width characters inside a word do not break it. Scripts written without spaces
// (Han, kana, Thai, Lao, Khmer, Myanmar) give overlapping character pairs instead of words. A
// pure number becomes its shape ("num:4" for any four digits) so that prices, dates and ids do not
// flood the model. Words shorter than 2 or longer than 40 code points are dropped. URLs written in
// the text ("https://…", "www.…") give no words: their host token stands for them.
// Each distinct token counts once per message (Graham/Robinson), and the work per message is
// bounded by limits.max_classifier_text_bytes and max_classifier_tokens ([limits]).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "facts/message_facts.h"
#include "vigie/limits.h"
#include "vigie/message.h"

namespace vigie::intel::content_model {

inline constexpr std::size_t kMinWordCodePoints = 2;
inline constexpr std::size_t kMaxWordCodePoints = 40;
// Longest token of any kind, in bytes: a 40-code-point word is at most 160 bytes, a host token
// "host:" plus a registrable domain is cut to this.
inline constexpr std::size_t kMaxTokenBytes = 256;

// Collects the distinct tokens of one message within the per-message budgets
// (limits.max_classifier_text_bytes and max_classifier_tokens), and says what they left out.
class TokenSet {
 public:
  explicit TokenSet(const Limits& limits = Limits{})
      : text_budget_(limits.max_classifier_text_bytes), max_tokens_(limits.max_classifier_tokens) {}

  // Splits UTF-8 text into word tokens (invalid bytes separate words).
  void add_text(std::string_view utf8);
  // Adds one token as it is (structural tokens such as "host:…"), if the budget allows.
  void add_token(std::string token);
  // The tokens, sorted (so that everything downstream is deterministic).
  std::vector<std::string> sorted() const;
  std::size_t size() const { return tokens_.size(); }
  // Removes every token of `other`.
  void remove_all(const TokenSet& other);
  // Text given to add_text() past the text budget, not read.
  std::uint64_t unread_text_bytes() const { return unread_text_bytes_; }
  // Whether a new token was turned away (and the rest of a text left unread) because the token
  // budget was spent.
  bool token_budget_spent() const { return token_budget_spent_; }

 private:
  void add_word(std::string_view word, std::size_t code_points);
  std::unordered_set<std::string> tokens_;
  std::uint64_t text_budget_;
  std::size_t max_tokens_;
  std::uint64_t unread_text_bytes_ = 0;
  bool token_budget_spent_ = false;
};

struct MessageTokens {
  std::vector<std::string> tokens;  // distinct, sorted
  std::uint64_t unread_text_bytes = 0;
  bool token_budget_spent = false;
};

// The distinct tokens of a message, sorted: link domains, attachment extensions, then the words of
// the subject, the sender's name and the readable text (facts::MessageFacts::readable_texts).
MessageTokens message_tokens(const facts::MessageFacts& facts, const Limits& limits);
// The same for a message read alone, without envelope or organisation profile (vigie learn): the
// tokens depend on neither.
MessageTokens message_tokens(const ParsedMessage& message, const Limits& limits);

}  // namespace vigie::intel::content_model
