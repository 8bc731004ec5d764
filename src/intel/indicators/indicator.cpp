// Names of the indicator model's enumerations (see indicator.h).
#include "intel/indicators/indicator.h"

namespace vigie::intel {

std::string_view observable_type_name(ObservableType type) {
  switch (type) {
    case ObservableType::kDomain: return "domain";
    case ObservableType::kUrl: return "url";
    case ObservableType::kIpv4: return "ipv4";
    case ObservableType::kIpv6: return "ipv6";
    case ObservableType::kEmailAddress: return "email-address";
    case ObservableType::kEmailSubject: return "email-subject";
    case ObservableType::kFileName: return "file-name";
    case ObservableType::kMd5: return "md5";
    case ObservableType::kSha1: return "sha1";
    case ObservableType::kSha256: return "sha256";
    case ObservableType::kSha512: return "sha512";
  }
  return "unknown";
}

std::optional<ObservableType> observable_type_from_name(std::string_view name) {
  for (const ObservableType type :
       {ObservableType::kDomain, ObservableType::kUrl, ObservableType::kIpv4, ObservableType::kIpv6,
        ObservableType::kEmailAddress, ObservableType::kEmailSubject, ObservableType::kFileName, ObservableType::kMd5,
        ObservableType::kSha1, ObservableType::kSha256, ObservableType::kSha512}) {
    if (observable_type_name(type) == name) return type;
  }
  return std::nullopt;
}

std::string_view tlp_name(Tlp tlp) {
  switch (tlp) {
    case Tlp::kUnknown: return "";
    case Tlp::kClear: return "TLP:CLEAR";
    case Tlp::kGreen: return "TLP:GREEN";
    case Tlp::kAmber: return "TLP:AMBER";
    case Tlp::kAmberStrict: return "TLP:AMBER+STRICT";
    case Tlp::kRed: return "TLP:RED";
  }
  return "";
}

}  // namespace vigie::intel
