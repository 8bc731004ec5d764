// The public suffix list of the process (see public_suffix_list.h): libpsl's built-in list or a
// file, and the one choice of which the process uses.
#include "parse/url/public_suffix_list.h"

#include <libpsl.h>

#include <atomic>
#include <mutex>
#include <utility>
#include <vector>

#include "common/list_file.h"

namespace vigie::parse {
namespace {

// The choice of the process. `chosen` is read by every lookup, so it is an atomic pointer rather
// than a shared_ptr behind the mutex; the mutex orders use_public_suffix_list() calls, and
// `owners` keeps every list ever chosen alive for the life of the process (never destroyed, not
// even at exit), since lookups hold no reference to the list they read.
std::mutex choice_mutex;
using Owners = std::vector<std::shared_ptr<const PublicSuffixList>>;
Owners& owners = *new Owners;
std::atomic<const PublicSuffixList*> chosen{nullptr};  // nullptr: the built-in list
std::atomic<bool> looked_up{false};                    // public_suffixes() was called

// The list in use, without fixing the choice.
const PublicSuffixList& current_list() {
  const PublicSuffixList* list = chosen.load(std::memory_order_acquire);
  if (list != nullptr) return *list;
  static const PublicSuffixList* const built_in = PublicSuffixList::built_in().get();
  return *built_in;
}

}  // namespace

PublicSuffixList::PublicSuffixList(const psl_ctx_st* context, bool owned, std::string source)
    : context_(context), owned_(owned), source_(std::move(source)) {}

PublicSuffixList::~PublicSuffixList() {
  if (owned_) psl_free(const_cast<psl_ctx_t*>(context_));
}

std::shared_ptr<const PublicSuffixList> PublicSuffixList::built_in() {
  static const auto* const list = new std::shared_ptr<const PublicSuffixList>(
      new PublicSuffixList(psl_builtin(), false, "built-in"));
  return *list;
}

Result<std::shared_ptr<const PublicSuffixList>> PublicSuffixList::load(const std::string& path) {
  // In the words of every other list file of the configuration (common/list_file.h).
  if (const std::string problem = file_problem(path); !problem.empty()) return fail(Error::config(path + ": " + problem));
  psl_ctx_t* context = psl_load_file(path.c_str());
  if (context == nullptr) return fail(Error::config(path + ": cannot read this public suffix list"));
  std::shared_ptr<const PublicSuffixList> list(new PublicSuffixList(context, true, path));
  if (!list->is_public_suffix("com", Section::kIcann) || !list->is_public_suffix("co.uk", Section::kIcann)) {
    return fail(Error::config(
        path + ": not a complete public suffix list (com and co.uk are not among its ICANN suffixes). The file "
               "replaces the built-in list: start from a copy of https://publicsuffix.org/list/"
               "public_suffix_list.dat (Debian: /usr/share/publicsuffix/public_suffix_list.dat) and add your own "
               "suffixes to it"));
  }
  return list;
}

std::string PublicSuffixList::registrable_domain(const char* host) const {
  if (context_ == nullptr) return {};
  const char* domain = psl_registrable_domain(context_, host);
  return domain == nullptr ? std::string() : std::string(domain);
}

bool PublicSuffixList::is_public_suffix(const char* domain, Section section) const {
  if (context_ == nullptr) return false;
  const int type = (section == Section::kIcann ? PSL_TYPE_ICANN : PSL_TYPE_ANY) | PSL_TYPE_NO_STAR_RULE;
  return psl_is_public_suffix2(context_, domain, type) != 0;
}

const PublicSuffixList& public_suffixes() {
  if (!looked_up.load(std::memory_order_relaxed)) looked_up.store(true, std::memory_order_relaxed);
  return current_list();
}

Result<void> use_public_suffix_list(std::shared_ptr<const PublicSuffixList> list) {
  const std::lock_guard<std::mutex> lock(choice_mutex);
  const PublicSuffixList& current = current_list();
  if (list.get() == &current || list->source() == current.source()) return {};
  if (looked_up.load(std::memory_order_relaxed)) {
    return fail(Error::config("public suffix list " + list->source() + ": this process already uses " +
                              (current.source() == "built-in" ? std::string("the built-in list") : current.source()) +
                              ", which cannot change once in use (restart to change it)"));
  }
  chosen.store(list.get(), std::memory_order_release);
  owners.push_back(std::move(list));
  return {};
}

Result<void> use_public_suffix_list_file(const std::string& path) {
  if (path.empty()) return use_public_suffix_list(PublicSuffixList::built_in());
  {
    const std::lock_guard<std::mutex> lock(choice_mutex);
    if (current_list().source() == path) return {};  // already in use: not read again
  }
  Result<std::shared_ptr<const PublicSuffixList>> list = PublicSuffixList::load(path);
  if (!list) return fail(list.error());
  return use_public_suffix_list(std::move(*list));
}

}  // namespace vigie::parse
