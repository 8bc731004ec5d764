// LocalizedText: prose written for an analyst in English and French. Data from the message (hosts,
// addresses, URLs, header values) is inserted unchanged in both; outputs pick the reader's language.
// Types that carry prose keep the English in one field and the French in a `_fr` field next to it,
// empty when the French says nothing else (Evidence::value_fr, LimitCrossing::not_examined_fr,
// the authentication results' reason_fr, Anomaly::detail_fr), so that JSON keys stay as they were.
#pragma once

#include <string>

namespace vigie {

struct LocalizedText {
  std::string en;
  std::string fr;
};

// The French of a `_fr` field: empty when it would repeat the English, so that an identical text
// (a port number, a list key) is not reported as a translation.
inline std::string french_unless_same(const LocalizedText& text) { return text.fr == text.en ? std::string() : text.fr; }

}  // namespace vigie
