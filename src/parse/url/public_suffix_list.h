// The public suffix list: the names under which anyone may register a domain (com, co.uk,
// gouv.fr, and private ones such as github.io), from which the registrable domain ("eTLD+1") of a
// host follows. libpsl reads it: by default its built-in list (publicsuffix.org's, as compiled
// into Debian's libpsl), or a file named by [lists] public_suffix_list, loaded with psl_load_file,
// so a site can use a newer list or add suffixes of its own (an internal pseudo-TLD, a national
// sub-suffix). A file replaces the built-in list; it does not add to it.
//
// One list per process, chosen at start-up. Registrable domains are computed in many places (URL
// fields while a message is parsed, the message facts, DMARC alignment, look-alikes, and the
// organisation profile and lists compiled when the engine starts) and they must all agree, within
// a message and between the start-up lists and the messages. A list fixed for the process before
// the first lookup gives that by construction; handing a list to each of those places would let
// one forgotten call site use another without anyone noticing, and the URL fields are computed by
// the message parser (ParsedMessage::parse, normalize_url), which runs without an engine.
// use_public_suffix_list() is the only way to choose the list: the engine calls it when it starts
// (and `vigie parse`, which has no engine), before any thread parses or scans, and it refuses to
// change the list once a lookup has been made with another one. So two engines of one process
// share the list, an engine configured with another list than the one in use fails to start
// (EngineConfigError) rather than silently using it, and changing the list needs a new process.
// The per-thread memos of lookups (registrable domains, normalised URLs) can therefore never hold
// another list's answers. A PublicSuffixList can still be loaded and queried on its own (the
// configuration reader checks the file that way; tests compare lists).
//
// Thread safety: a PublicSuffixList is immutable once loaded, and libpsl's lookups only read it;
// public_suffixes() may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "vigie/result.h"

struct psl_ctx_st;

namespace vigie::parse {

class PublicSuffixList {
 public:
  // libpsl's built-in list (never freed: threads may still read it while the process exits).
  static std::shared_ptr<const PublicSuffixList> built_in();

  // A list file in the publicsuffix.org format (or libpsl's DAFSA form). Fails, naming the file,
  // when it cannot be read or is not a complete list (it must know com and co.uk as suffixes: a
  // file holding only a site's own suffixes would make every co.uk domain a registrable "co.uk").
  static Result<std::shared_ptr<const PublicSuffixList>> load(const std::string& path);

  ~PublicSuffixList();
  PublicSuffixList(const PublicSuffixList&) = delete;
  PublicSuffixList& operator=(const PublicSuffixList&) = delete;

  // "built-in", or the path of the file.
  const std::string& source() const { return source_; }

  // The registrable domain of a lowercase ASCII host without a trailing dot (NUL-terminated, for
  // libpsl); empty when it has none (it is a public suffix itself).
  std::string registrable_domain(const char* host) const;

  enum class Section : std::uint8_t {
    kAny,    // ICANN and private suffixes
    kIcann,  // the ICANN section only (top-level domains and their official subdivisions)
  };
  // Whether a lowercase ASCII domain is a suffix of the list, without the implicit "*" rule
  // (which makes every unknown last label a suffix).
  bool is_public_suffix(const char* domain, Section section = Section::kAny) const;

 private:
  PublicSuffixList(const psl_ctx_st* context, bool owned, std::string source);

  const psl_ctx_st* context_;  // nullptr: a libpsl built without a built-in list (every lookup empty)
  bool owned_;           // loaded from a file (freed with the list), not the built-in one
  std::string source_;
};

// The list this process uses: the built-in one unless use_public_suffix_list() chose another.
// The first call fixes the choice (see above).
const PublicSuffixList& public_suffixes();

// Makes `list` the list of this process. For start-up only, before any thread that parses or scans
// exists. Choosing the list already in use (the same object, or one loaded from the same file)
// changes nothing and succeeds; choosing another once a lookup has been made fails and changes
// nothing, since results computed with the first list are already out.
Result<void> use_public_suffix_list(std::shared_ptr<const PublicSuffixList> list);

// [lists] public_suffix_list: loads the file (an empty path: the built-in list) and uses it, with
// errors naming the file.
Result<void> use_public_suffix_list_file(const std::string& path);

}  // namespace vigie::parse
