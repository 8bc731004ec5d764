// Free-mailbox provider list (see free_webmail.h).
#include "intel/identity/free_webmail.h"
#include "common/list_file.h"

#include <fstream>

#include "common/ascii.h"
#include "intel/identity/domains.h"
#include "parse/url/url.h"

namespace vigie::intel::identity {
namespace {

bool parse_category(std::string_view text, MailboxCategory& out) {
  if (text == "webmail") out = MailboxCategory::kWebmail;
  else if (text == "isp") out = MailboxCategory::kIsp;
  else if (text == "privacy") out = MailboxCategory::kPrivacy;
  else if (text == "disposable") out = MailboxCategory::kDisposable;
  else return false;
  return true;
}

}  // namespace

std::string_view mailbox_category_name(MailboxCategory category) {
  switch (category) {
    case MailboxCategory::kWebmail: return "free webmail";
    case MailboxCategory::kIsp: return "internet-provider mailbox";
    case MailboxCategory::kPrivacy: return "privacy mail service";
    case MailboxCategory::kDisposable: return "disposable mailbox";
  }
  return "free mailbox";
}

std::string_view mailbox_category_name_fr(MailboxCategory category) {
  switch (category) {
    case MailboxCategory::kWebmail: return "messagerie gratuite";
    case MailboxCategory::kIsp: return "boîte d'un fournisseur d'accès";
    case MailboxCategory::kPrivacy: return "service de messagerie confidentielle";
    case MailboxCategory::kDisposable: return "boîte jetable";
  }
  return "boîte gratuite";
}

Result<FreeWebmailList> FreeWebmailList::load(const std::string& path) {
  if (const std::string problem = file_problem(path); !problem.empty()) {
    return fail(Error::config("free-webmail list " + path + ": " + problem));
  }
  std::ifstream in(path);
  FreeWebmailList list;
  std::string line;
  for (unsigned number = 1; std::getline(in, line); ++number) {
    std::string_view text = line;
    if (const std::size_t hash = text.find('#'); hash != std::string_view::npos) text = text.substr(0, hash);
    text = ascii::trim_blanks(text);
    if (text.empty()) continue;
    const std::string where = path + ":" + std::to_string(number) + ": ";
    const std::size_t tab1 = text.find('\t');
    const std::size_t tab2 = tab1 == std::string_view::npos ? tab1 : text.find('\t', tab1 + 1);
    if (tab2 == std::string_view::npos) {
      return fail(Error::config(where + "expected domain<TAB>category<TAB>source"));
    }
    const std::string domain = normalize_domain(ascii::trim_blanks(text.substr(0, tab1)));
    MailboxCategory category;
    if (!parse_category(ascii::trim_blanks(text.substr(tab1 + 1, tab2 - tab1 - 1)), category)) {
      return fail(Error::config(where + "category must be webmail, isp, privacy or disposable"));
    }
    if (ascii::trim_blanks(text.substr(tab2 + 1)).empty()) return fail(Error::config(where + "every entry needs a source"));
    if (domain.ends_with(".*")) {
      const std::string name = domain.substr(0, domain.size() - 2);
      if (name.empty() || name.find('.') != std::string::npos) {
        return fail(Error::config(where + "'" + domain + "': a wildcard entry is one label then .*"));
      }
      list.any_suffix_[name] = category;
    } else {
      if (domain.find('.') == std::string::npos) {
        return fail(Error::config(where + "'" + domain + "' is not a domain"));
      }
      list.exact_[domain] = category;
    }
  }
  return list;
}

const MailboxCategory* FreeWebmailList::find(std::string_view domain) const {
  if (domain.empty()) return nullptr;
  if (const auto it = exact_.find(std::string(domain)); it != exact_.end()) return &it->second;
  if (any_suffix_.empty()) return nullptr;
  // "yahoo.*": the registrable domain is that one label followed by a public suffix.
  const std::string registrable = parse::registrable_domain(domain);
  if (registrable.empty() || registrable != domain) return nullptr;
  const std::size_t dot = registrable.find('.');
  if (const auto it = any_suffix_.find(registrable.substr(0, dot)); it != any_suffix_.end()) {
    return &it->second;
  }
  return nullptr;
}

}  // namespace vigie::intel::identity
