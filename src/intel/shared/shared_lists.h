// The lists several analyzers read — brands (brand impersonation, look-alikes), link categories
// (links, filter evasion), free mailbox providers (impersonation, first contact), and the engine's
// ATT&CK knowledge (technique names of findings, attribution) — loaded once per
// engine, on the first request, and shared read-only. Before, each analyzer loaded its own copy at
// every start. Requests come from prepare(), which runs on one thread; the lists themselves are
// immutable and thread-safe once loaded.
#pragma once

#include <memory>

#include "intel/attack/attack_knowledge.h"
#include "intel/brands/brand_list.h"
#include "intel/identity/free_webmail.h"
#include "intel/link_categories/link_categories.h"
#include "vigie/config.h"
#include "vigie/result.h"

namespace vigie::intel {

class SharedLists {
 public:
  // data_dir(config) and [lists] name what to load.
  explicit SharedLists(const Config& config) : config_(config) {}

  Result<std::shared_ptr<const BrandList>> brands();
  Result<std::shared_ptr<const LinkCategories>> link_categories();
  Result<std::shared_ptr<const identity::FreeWebmailList>> free_webmail();
  // MITRE ATT&CK (data_dir/attack/enterprise-attack.json): technique names, who uses what.
  Result<std::shared_ptr<const attack::AttackKnowledge>> attack_knowledge();

 private:
  const Config& config_;
  std::shared_ptr<const BrandList> brands_;
  std::shared_ptr<const LinkCategories> link_categories_;
  std::shared_ptr<const identity::FreeWebmailList> free_webmail_;
  std::shared_ptr<const attack::AttackKnowledge> attack_knowledge_;
};

}  // namespace vigie::intel
