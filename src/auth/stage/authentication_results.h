// The RFC 8601 Authentication-Results header value for a scan's authentication results, in the
// JSON output (auth.authentication_results) for the mail gateway to add to the message, so that
// the reader's client and later filters see vigie's verdict on the sender. Property values are quoted where the RFC 2045 token grammar needs it; reasons are
// quoted strings; only methods that ran (a result other than "none" with a reason of "not run")
// appear, and "none" alone when nothing ran (§2.2).
#pragma once

#include <string>
#include <string_view>

#include "vigie/auth.h"

namespace vigie::auth {

std::string authentication_results_header(std::string_view authserv_id, const AuthResults& results);

}  // namespace vigie::auth
