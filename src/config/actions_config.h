// [actions]: how vigie changes the messages it lets through (src/service/actions): the languages
// of the reader's banner, how many findings X-Vigie-Findings lists, whether a warn gets a banner,
// the largest body part that gets one. Like [serve] they belong to the service: `vigie serve`
// reads them with load_actions_settings() and `vigie config check` validates the section with the
// rest of the file.
#pragma once

#include <string>

#include "service/actions/action_settings.h"
#include "vigie/result.h"

namespace vigie {

// The [actions] section of a configuration file over ActionSettings' defaults, with authserv_id
// taken from [auth] authserv_id; errors as load_config's ("file:line:column: key: message", all of
// them at once; unknown keys and bad values included).
Result<service::ActionSettings> load_actions_settings(const std::string& path);

}  // namespace vigie
