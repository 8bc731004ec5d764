// Names and descriptions of anomaly kinds (the X-macro table in vigie/anomaly.h).
#include "vigie/anomaly.h"

namespace vigie {

std::string_view anomaly_name(AnomalyKind kind) {
  switch (kind) {
#define VIGIE_X(id, name, doc) \
  case AnomalyKind::id:        \
    return name;
    VIGIE_ANOMALY_KINDS(VIGIE_X)
#undef VIGIE_X
  }
  return "unknown";
}

std::string_view anomaly_description(AnomalyKind kind) {
  switch (kind) {
#define VIGIE_X(id, name, doc) \
  case AnomalyKind::id:        \
    return doc;
    VIGIE_ANOMALY_KINDS(VIGIE_X)
#undef VIGIE_X
  }
  return "unknown";
}

}  // namespace vigie
