// The settings of the mail-flow actions (src/service/actions): which authserv-id vigie writes and
// removes, in which languages the reader's banner is written, how many findings the X-Vigie-Findings
// header lists, whether a warn gets a banner and how large a body part may be to get one. Read from
// the configuration's [actions] section (and [auth] authserv_id) by load_actions_settings()
// (src/config/actions_config.h); a plain struct so that the configuration reader does not depend on
// the code that rewrites messages.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace vigie::service {

struct ActionSettings {
  std::string authserv_id = "vigie";                   // from Config::auth.authserv_id
  std::vector<std::string> banner_languages = {"en"};  // "en" and/or "fr", in display order
  std::size_t top_findings = 5;                        // finding ids in X-Vigie-Findings
  bool banner_on_warn = true;                          // false: a warn gets headers only
  // Largest body part (as written, transfer-encoded) that gets a banner: rewriting one means
  // decoding and re-encoding it in memory. A larger part gets none and the reason says so.
  std::size_t max_banner_part_bytes = 10u << 20;
};

}  // namespace vigie::service
