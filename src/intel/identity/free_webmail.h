// The list of free mailbox providers (data/free_webmail.tsv): domains anyone can get a mailbox on
// in minutes, so a name or role shown on them proves nothing about who writes. Loaded once at
// start, read-only afterwards, thread-safe.
//
// File format, one entry a line, '#' starts a comment:
//   domain <TAB> category <TAB> source
// category is one of webmail, isp, privacy, disposable. A domain written "yahoo.*" matches that
// name under any public suffix (yahoo.fr, yahoo.co.uk); others match
// only the exact domain (a provider's subdomains are listed one by one where they are mailboxes).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "vigie/result.h"

namespace vigie::intel::identity {

enum class MailboxCategory { kWebmail, kIsp, kPrivacy, kDisposable };
std::string_view mailbox_category_name(MailboxCategory category);
std::string_view mailbox_category_name_fr(MailboxCategory category);  // the same in French, for evidence

class FreeWebmailList {
 public:
  // Errors name the file and line at fault.
  static Result<FreeWebmailList> load(const std::string& path);
  // The category of a normalised sender domain, nullptr when it is not a free provider.
  const MailboxCategory* find(std::string_view domain) const;
  std::size_t size() const { return exact_.size() + any_suffix_.size(); }

 private:
  std::unordered_map<std::string, MailboxCategory> exact_;
  std::unordered_map<std::string, MailboxCategory> any_suffix_;  // "yahoo" for "yahoo.*"
};

}  // namespace vigie::intel::identity
