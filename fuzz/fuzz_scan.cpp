// Fuzz target for the whole scan: Engine::scan with every analyzer and object analyzer on, an
// organisation profile that gives the profile-driven detectors something to compare with, and a
// recorded DNS zone so authentication runs its full path without the network. Then the two
// renderers every caller uses (JSON and text with --explain) and the after-scan step with an
// in-memory store. It owns only the harness and the guarantees a scan documents: no exception
// escapes (a throwing analyzer becomes ANALYZER_ERROR), every evidence names an existing object,
// every object's parent comes before it, and the verdict is complete exactly when nothing was cut.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/dns/recorded_resolver.h"
#include "fuzz_support.h"
#include "outputs/json_output.h"
#include "outputs/text_output.h"
#include "store/memory_store.h"
#include "vigie/engine.h"

namespace {

using vigie::fuzz::consume;
using vigie::fuzz::require;

const vigie::Engine& engine() {
  static const vigie::Engine* instance = [] {
    vigie::Config config;
    config.organisation.name = "Ministère de l'Exemple";
    config.organisation.protected_domains = {"exemple.gouv.fr"};
    config.organisation.partner_domains = {"partenaire.example"};
    config.organisation.internal_networks = {"10.0.0.0/8"};
    config.organisation.people = {vigie::ProtectedPerson{"Jeanne Dupont", {"J. Dupont"},
                                                         {"jeanne.dupont@exemple.gouv.fr"}, {}, "directrice"}};
    auto zone = vigie::auth::dns::RecordedResolver::from_string(
        "exemple.gouv.fr:\n  - TXT: v=spf1 ip4:192.0.2.0/24 -all\n"
        "_dmarc.exemple.gouv.fr:\n  - TXT: v=DMARC1; p=reject\n",
        "fuzz zone");
    vigie::Services services;
    require(zone.has_value(), "the fuzz zone loads");
    services.resolver = std::make_shared<vigie::auth::dns::RecordedResolver>(std::move(*zone));
    services.store = std::make_shared<vigie::store::MemoryStore>();
    return new vigie::Engine(config, services);  // lives for the whole fuzzing run
  }();
  return *instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vigie::Envelope envelope;
  envelope.client_ip = "203.0.113.7";
  envelope.mail_from = "x@exemple.gouv.fr";
  envelope.recipients = {"jeanne.dupont@exemple.gouv.fr"};
  const vigie::ScanResult result = engine().scan(
      std::make_shared<const std::string>(reinterpret_cast<const char*>(data), size), envelope);
  for (const vigie::Object& object : result.objects) {
    require(object.id == 0 || object.parent < object.id, "an object's parent comes before it");
    consume(object.bytes());
  }
  for (const vigie::Finding& finding : result.findings) {
    require(finding.id != "ANALYZER_ERROR", "no analyzer throws on any input");
    for (const vigie::Evidence& evidence : finding.evidence) {
      require(evidence.object < result.objects.size(), "evidence names an object of the tree");
      consume(evidence.value);
    }
  }
  require(result.verdict.complete || !result.limits_reached.empty() ||
              !result.message->anomalies().empty(),
          "an incomplete verdict says what was cut");
  // The record is written by hand (outputs/json_writer): it must be valid JSON whatever the
  // message holds, and byte for byte what nlohmann would write for the same values.
  const std::string line = vigie::outputs::scan_json_line(result, "fuzz");
  const nlohmann::json parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  require(!parsed.is_discarded(), "the scan record is valid JSON");
  require(parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) == line,
          "the scan record reads back and dumps to the same bytes");
  consume(vigie::outputs::scan_to_text(result, "fuzz", vigie::outputs::Language::kFrench, true));
  engine().after_scan(result, envelope);
  return 0;
}
