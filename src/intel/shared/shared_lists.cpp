// Shared lists, loaded once (see shared_lists.h).
#include "intel/shared/shared_lists.h"

namespace vigie::intel {
namespace {

// Loads into `slot` on the first call; later calls return the same list.
template <typename List, typename Load>
Result<std::shared_ptr<const List>> once(std::shared_ptr<const List>& slot, Load&& load) {
  if (!slot) {
    Result<List> loaded = load();
    if (!loaded) return fail(loaded.error());
    slot = std::make_shared<const List>(std::move(*loaded));
  }
  return slot;
}

}  // namespace

Result<std::shared_ptr<const BrandList>> SharedLists::brands() {
  return once(brands_, [&] { return BrandList::load(config_); });
}

Result<std::shared_ptr<const LinkCategories>> SharedLists::link_categories() {
  return once(link_categories_, [&] {
    return LinkCategories::load(data_dir(config_) + "/link_categories", config_.lists.link_categories);
  });
}

Result<std::shared_ptr<const identity::FreeWebmailList>> SharedLists::free_webmail() {
  return once(free_webmail_,
              [&] { return identity::FreeWebmailList::load(data_dir(config_) + "/free_webmail.tsv"); });
}

Result<std::shared_ptr<const attack::AttackKnowledge>> SharedLists::attack_knowledge() {
  if (!attack_knowledge_) {
    Result<std::shared_ptr<const attack::AttackKnowledge>> loaded =
        attack::AttackKnowledge::load(attack::AttackKnowledge::shipped_file(config_));
    if (!loaded) return fail(loaded.error());
    attack_knowledge_ = std::move(*loaded);
  }
  return attack_knowledge_;
}

}  // namespace vigie::intel
