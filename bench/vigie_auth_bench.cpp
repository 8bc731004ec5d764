// Authentication benchmark: what the auth stage (SPF, DKIM, ARC, DMARC) adds to a message's cost
// when DNS answers are already at hand (recorded DNS standing for a warm cache), beside the
// parse-only cost of the same messages measured in the same run, with the engine's shared DKIM key
// cache and without it (keys fetched and decoded per message, as before it); and DKIM
// verifications per second of one signed message, for comparison with `openssl speed` of the same
// key type.
// bench/run_auth_bench.sh prepares the signed messages and the zone and prints the ratios.
//
// usage: vigie_auth_bench --zone ZONE.yaml --client-ip IP --mail-from ADDR
//                         [--min-seconds S] [--verify FILE] MESSAGE...
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "auth/dkim/dkim.h"
#include "auth/dns/recorded_resolver.h"
#include "auth/stage/authenticate.h"
#include "vigie/message.h"

namespace vigie::bench {
namespace {

volatile std::uint64_t g_sink = 0;

std::shared_ptr<const std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::make_shared<const std::string>(std::istreambuf_iterator<char>(in),
                                             std::istreambuf_iterator<char>());
}

// Best seconds per pass over at least min_seconds and 3 passes.
template <typename Pass>
double best_pass(double min_seconds, Pass pass) {
  double best = 1e300;
  double total = 0;
  for (int passes = 0; passes < 3 || total < min_seconds; ++passes) {
    const auto start = std::chrono::steady_clock::now();
    pass();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best = std::min(best, seconds);
    total += seconds;
  }
  return best;
}

int main_impl(int argc, char** argv) {
  std::string zone_path, verify_path;
  Envelope envelope;
  double min_seconds = 2;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--zone" && has_value) zone_path = argv[++i];
    else if (arg == "--client-ip" && has_value) envelope.client_ip = argv[++i];
    else if (arg == "--mail-from" && has_value) envelope.mail_from = argv[++i];
    else if (arg == "--min-seconds" && has_value) min_seconds = std::stod(argv[++i]);
    else if (arg == "--verify" && has_value) verify_path = argv[++i];
    else paths.push_back(arg);
  }
  auto zone = std::make_unique<Result<auth::dns::RecordedResolver>>(
      auth::dns::RecordedResolver::from_file(zone_path));
  if (!*zone) {
    std::cerr << "vigie_auth_bench: " << zone->error().message << "\n";
    return 2;
  }
  const auth::dns::RecordedResolver& resolver = **zone;
  std::vector<std::shared_ptr<const std::string>> messages;
  for (const std::string& p : paths) messages.push_back(read_file(p));
  if (messages.empty()) {
    std::cerr << "vigie_auth_bench: no message\n";
    return 2;
  }

  const Limits limits;
  const double parse_s = best_pass(min_seconds, [&] {
    for (const auto& bytes : messages) {
      const auto message = ParsedMessage::parse(bytes, limits);
      message->decode_all();
      g_sink = g_sink + message->parts().size();
    }
  });
  // parse + auth, as the engine runs it (one AuthSettings, hence one key cache shared by every
  // message) and as it ran before the shared key cache (keys fetched and decoded per message).
  // The two alternate pass by pass, so that both see the same machine; the ratio of each round's
  // two passes, taken seconds apart at most, is steadier than a ratio of two best passes.
  const auth::AuthSettings shared_settings;
  auth::AuthSettings per_message_settings;
  per_message_settings.key_cache = nullptr;
  std::size_t dkim_pass = 0, dkim_total = 0;
  auto auth_pass = [&](const auth::AuthSettings& settings) {
    dkim_pass = dkim_total = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const auto& bytes : messages) {
      const auto message = ParsedMessage::parse(bytes, limits);
      message->decode_all();
      const AuthResults r = auth::authenticate(*message, envelope, &resolver, settings);
      for (const DkimAuthResult& d : r.dkim) {
        ++dkim_total;
        dkim_pass += d.result == AuthResultCode::kPass;
      }
      g_sink = g_sink + static_cast<std::size_t>(r.spf.result);
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  double auth_s = 1e300, uncached_s = 1e300, total = 0;
  std::vector<double> ratios;
  for (int round = 0; round < 5 || total < 2 * min_seconds; ++round) {
    const double uncached = auth_pass(per_message_settings);
    const double cached = auth_pass(shared_settings);
    uncached_s = std::min(uncached_s, uncached);
    auth_s = std::min(auth_s, cached);
    ratios.push_back(uncached / cached);
    total += uncached + cached;
  }
  std::sort(ratios.begin(), ratios.end());
  const double n = static_cast<double>(messages.size());
  const auto cache = shared_settings.key_cache->stats();
  std::printf("RESULT workload=parse messages=%zu us_per_message=%.2f\n", messages.size(), parse_s / n * 1e6);
  std::printf(
      "RESULT workload=parse+auth messages=%zu us_per_message=%.2f dkim_pass=%zu dkim_total=%zu "
      "key_cache_entries=%zu key_cache_hits=%llu key_cache_misses=%llu\n",
      messages.size(), auth_s / n * 1e6, dkim_pass, dkim_total, cache.entries,
      static_cast<unsigned long long>(cache.hits), static_cast<unsigned long long>(cache.misses));
  std::printf("RESULT workload=parse+auth-per-message-keys messages=%zu us_per_message=%.2f\n",
              messages.size(), uncached_s / n * 1e6);
  std::printf(
      "RESULT workload=key-cache-speedup rounds=%zu median_ratio=%.3f min_ratio=%.3f "
      "max_ratio=%.3f\n",
      ratios.size(), ratios[ratios.size() / 2], ratios.front(), ratios.back());

  if (!verify_path.empty()) {
    const auto message = ParsedMessage::parse(read_file(verify_path), limits);
    const auth::dkim::SignedMessage signed_view(*message);
    auth::dkim::KeyCache keys(resolver);  // key fetched and parsed once: pure verification cost
    const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch()).count();
    const auto first = auth::dkim::verify_dkim(signed_view, keys, now);
    if (first.empty() || first.front().result != AuthResultCode::kPass) {
      std::cerr << "vigie_auth_bench: " << verify_path << " does not verify: "
                << (first.empty() ? "no signature" : first.front().reason) << "\n";
      return 1;
    }
    constexpr int kBatch = 200;
    const double s = best_pass(min_seconds, [&] {
      for (int i = 0; i < kBatch; ++i) g_sink = g_sink + auth::dkim::verify_dkim(signed_view, keys, now).size();
    });
    std::printf("RESULT workload=dkim-verify algorithm=%s key_bits=%u verifications_per_s=%.0f\n",
                first.front().algorithm.c_str(), first.front().key_bits, kBatch / s);
  }
  return 0;
}

}  // namespace
}  // namespace vigie::bench

int main(int argc, char** argv) { return vigie::bench::main_impl(argc, argv); }
